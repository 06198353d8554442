/**
 * `opensyncparty mpv` as a user runs it (tsx on src/cli/main.ts, so no build
 * is needed), in a temp dir of its own (TMPDIR) so the test can see every
 * socket file it makes or leaves. Killed and the dir removed when the test ends.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export interface MpvCli {
  child: ChildProcess;
  /** The CLI's own temp dir (its TMPDIR): where its mpv socket goes. */
  dir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (128+n style codes as numbers, a signal name if killed); rejects after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | string>;
  /** Socket files in `dir` now. */
  sockets(): string[];
}

export function makeCliDir(t: Pick<TestContext, "after">): string {
  const dir = mkdtempSync(join(tmpdir(), "osp-mpv-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function runMpvCli(t: Pick<TestContext, "after">, args: string[], o: { dir?: string; env?: Record<string, string> } = {}): MpvCli {
  const dir = o.dir ?? makeCliDir(t);
  // A process group of its own: a CLI still running when the test ends is killed with the mpv it started (mpv also
  // quits when the CLI's lifeline closes; the group kill does not wait for that).
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "mpv", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TMPDIR: dir, ...o.env },
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = once(child, "exit") as Promise<[number | null, string | null]>;
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await exited;
    }
    // Whatever the CLI left in its group (an mpv it could not stop) goes too.
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  });
  return {
    child,
    dir,
    stdout: () => out,
    stderr: () => err,
    exit: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`opensyncparty mpv still running after ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`)),
          timeoutMs,
        );
        exited.then(([code, signal]) => {
          clearTimeout(timer);
          resolve(code ?? String(signal));
        }, reject);
      }),
    sockets: () => readdirSync(dir).filter((n) => n.endsWith(".sock")),
  };
}
