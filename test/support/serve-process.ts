/**
 * The real `opensyncparty serve` process, for tests that kill it, fill its
 * disk or read its exit code. Resolves once it logs its URL; the test's
 * teardown SIGKILLs whatever is still running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { TestContext } from "node:test";

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  httpUrl: string;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** Everything written to stderr so far. */
  readonly stderr: string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** `wrapper`: a command that runs node, e.g. `["prlimit", "--nofile=400:400"]`. */
export async function startServe(
  t: Pick<TestContext, "after">,
  args: string[],
  timeoutMs = 30_000,
  wrapper: string[] = [],
): Promise<ServeProcess> {
  const argv = [process.execPath, "--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--host", "127.0.0.1", ...args];
  const [command, ...rest] = [...wrapper, ...argv] as [string, ...string[]];
  const child = spawn(command, rest, { stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const exited = once(child, "exit").then(([code, signal]) => (code as number | null) ?? (signal as string));
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const logs: Array<Record<string, unknown>> = [];
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === "OpenSyncParty listening") resolve(String(entry.url));
      } catch {
        logs.push({ msg: line });
      }
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    listening,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`serve did not listen within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    child,
    url,
    httpUrl: url.replace(/^ws/, "http").replace(/\/ws$/, ""),
    logs,
    exited,
    get stderr() {
      return stderr;
    },
  };
}

/** SIGKILLs the process and waits until it is gone. */
export async function kill9(p: ServeProcess): Promise<void> {
  p.child.kill("SIGKILL");
  await p.exited;
}
