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
  /** Every JSON log line so far (`_rx`: this process's Date.now() when it arrived). */
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
  return launchServe(t, [...wrapper, ...argv], { timeoutMs });
}

/**
 * Spawns `command` (a `serve` command line), collects its JSON log lines
 * (each stamped `_rx`: this process's Date.now() when it arrived, to see a
 * skewed child's clock) and stderr, and resolves once it logs
 * "OpenSyncParty listening". Rejects with its stderr if it exits first or
 * does not listen within `timeoutMs`. SIGKILLed in `t.after` if still running.
 */
export async function launchServe(
  t: Pick<TestContext, "after">,
  command: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const [file, ...rest] = command as [string, ...string[]];
  const child = spawn(file, rest, { stdio: ["ignore", "pipe", "pipe"], ...(opts.env ? { env: opts.env } : {}) });
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
        entry._rx = Date.now();
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
