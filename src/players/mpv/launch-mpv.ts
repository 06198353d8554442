/**
 * Start mpv with a JSON IPC socket (or attach to one that already exists)
 * and stop it again.
 *
 * `close()` asks mpv to `quit` over IPC, then falls back to SIGTERM and
 * finally SIGKILL if the process lingers; it is idempotent. For an attached
 * socket (no process of ours) close() does nothing to mpv.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MpvIpc } from "./mpv-ipc.js";

export interface LaunchMpvOptions {
  /** File or URL to open (paused). Omit to start idle. */
  media?: string;
  /** Socket path; default a fresh path in the OS temp dir. */
  ipcPath?: string;
  /** Attach to an mpv already listening on `ipcPath` instead of spawning one. */
  attach?: boolean;
  /** Appended after the defaults, e.g. `["--no-config", "--vo=null"]`. */
  extraArgs?: readonly string[];
  /** mpv binary (default "mpv" on PATH). */
  mpvPath?: string;
  /** Give up waiting for the socket after this long, ms (default 10000). */
  startTimeoutMs?: number;
  /** Wait this long for a graceful quit before signalling, ms (default 3000). */
  quitTimeoutMs?: number;
}

export interface LaunchedMpv {
  ipcPath: string;
  /** The spawned process; null when attached to an existing socket. */
  process: ChildProcess | null;
  /** Quit mpv (if we started it); idempotent. */
  close(): Promise<void>;
}

export function defaultIpcPath(): string {
  return join(tmpdir(), `opensyncparty-mpv-${process.pid}-${randomBytes(4).toString("hex")}.sock`);
}

export async function launchMpv(options: LaunchMpvOptions = {}): Promise<LaunchedMpv> {
  const ipcPath = options.ipcPath ?? defaultIpcPath();
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  if (options.attach) {
    (await MpvIpc.connect(ipcPath, { timeoutMs: startTimeoutMs })).close();
    return { ipcPath, process: null, close: async () => {} };
  }
  const args = ["--idle=yes", `--input-ipc-server=${ipcPath}`, "--keep-open=yes", "--pause"];
  args.push(...(options.extraArgs ?? []));
  if (options.media !== undefined) args.push("--", options.media);
  const child = spawn(options.mpvPath ?? "mpv", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderrTail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= stop(child, ipcPath, exited, options.quitTimeoutMs ?? 3000);
    return closing;
  };
  try {
    await waitForSocket(ipcPath, child, startTimeoutMs, () => stderrTail);
  } catch (err) {
    await close();
    throw err;
  }
  return { ipcPath, process: child, close };
}

async function waitForSocket(path: string, child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let spawnError: Error | null = null;
  child.once("error", (err) => {
    spawnError = err;
  });
  for (;;) {
    if (spawnError) throw spawnError;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mpv exited (${child.exitCode ?? child.signalCode}) before opening ${path}: ${stderr().trim()}`);
    }
    try {
      (await MpvIpc.connect(path, { timeoutMs: Math.max(1, deadline - Date.now()) })).close();
      return;
    } catch {
      if (Date.now() >= deadline) throw new Error(`mpv did not open its IPC socket ${path} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25)); // poll interval, not a wait for a result
    }
  }
}

async function stop(child: ChildProcess, ipcPath: string, exited: Promise<void>, quitTimeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const within = (ms: number) =>
    Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  try {
    const ipc = await MpvIpc.connect(ipcPath, { timeoutMs: 1000 });
    await ipc.command(["quit"]).catch(() => {}); // mpv may drop the socket before replying
    ipc.close();
  } catch {
    // no socket: fall through to signals
  }
  if (await within(quitTimeoutMs)) return;
  child.kill("SIGTERM");
  if (await within(quitTimeoutMs)) return;
  child.kill("SIGKILL");
  await exited;
}
