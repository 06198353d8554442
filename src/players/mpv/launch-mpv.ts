/**
 * Start mpv with a JSON IPC socket (or attach to one that already exists)
 * and stop it again.
 *
 * `close()` asks mpv to `quit` over IPC, then falls back to SIGTERM and
 * finally SIGKILL if the process lingers; it is idempotent. For an attached
 * socket (no process of ours) close() does nothing to mpv.
 *
 * mpv leaves its socket file behind when it quits: close() deletes it once
 * the mpv we started has exited, and so does a process `exit` hook for any
 * mpv still running then (which it also signals), so a failed start, an
 * uncaught error or process.exit() leaves no socket and no mpv behind.
 *
 * A process that dies without running its hooks (SIGKILL, a crash of node
 * itself) cannot stop mpv, and mpv has no parent-death option: the spawned
 * mpv is also given one end of a socket pair as a second IPC client
 * (`--input-ipc-client=fd://3`; mpv's manual: "The player quits when the
 * connection is closed"). The kernel closes our end when this process
 * ends, however it ends, and mpv quits instead of idling on for good.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { MpvIpc } from "./mpv-ipc.js";
import { defaultIpcPath, removeSocketFile } from "./socket-files.js";

export { defaultIpcPath } from "./socket-files.js";

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
  /** Quit mpv (if we started it) and delete its socket file; idempotent. */
  close(): Promise<void>;
  /** The last lines mpv printed (stdout and stderr, up to 2000 characters); "" when attached. */
  output(): string;
}

/** The child's file descriptor that carries the lifeline socket. */
const LIFELINE_FD = 3;

/** mpv processes we started and have not seen exit, with their sockets: the `exit` hook's list. */
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;

function track(child: ChildProcess, ipcPath: string): void {
  running.set(child, ipcPath);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [proc, path] of running) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      removeSocketFile(path);
    }
  });
}

export async function launchMpv(options: LaunchMpvOptions = {}): Promise<LaunchedMpv> {
  const ipcPath = options.ipcPath ?? defaultIpcPath();
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  if (options.attach) {
    (await MpvIpc.connect(ipcPath, { timeoutMs: startTimeoutMs })).close();
    return { ipcPath, process: null, close: async () => {}, output: () => "" };
  }
  const args = ["--idle=yes", `--input-ipc-server=${ipcPath}`, "--keep-open=yes", "--pause"];
  args.push(...(options.extraArgs ?? []));
  if (options.media !== undefined) args.push("--", options.media);
  const mpvPath = options.mpvPath ?? "mpv";
  // fd 3: the lifeline (see the header). mpv writes its events to it too: read and dropped, so the pipe never fills.
  const child = spawn(mpvPath, [`--input-ipc-client=fd://${LIFELINE_FD}`, ...args], { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const lifeline = child.stdio[LIFELINE_FD] as Readable | null;
  lifeline?.on("error", () => {}); // mpv gone first: nothing to keep alive
  lifeline?.resume();
  track(child, ipcPath);
  let tail = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      tail = (tail + chunk).slice(-2000);
    });
  }
  // "exit" never comes when the binary could not be started ("error" with ENOENT instead).
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    }
  });
  void exited.then(() => running.delete(child));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= stop(child, ipcPath, exited, options.quitTimeoutMs ?? 3000).finally(() => removeSocketFile(ipcPath));
    return closing;
  };
  try {
    await waitForSocket(ipcPath, child, startTimeoutMs, () => tail, mpvPath);
  } catch (err) {
    await close();
    throw err;
  }
  return { ipcPath, process: child, close, output: () => tail };
}

/**
 * The line of mpv's output that says what went wrong ("Cannot open file 'x':
 * No such file or directory"), without its `[module]` tag; else its last line.
 * Only lines after the last `Playing: …` count (not an earlier file's or
 * start-up warnings); the ytdl hook's complaints about a missing youtube-dl
 * are never the reason.
 */
export function mpvProblem(output: string): string {
  // About the file being opened: only what mpv said since its last "Playing: …" line.
  const since = output.lastIndexOf("Playing: ");
  const lines = (since >= 0 ? output.slice(since) : output)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("Exiting...") && !l.startsWith("[ytdl_hook]"));
  const problem = lines.find((l) => /cannot|failed|error|refused|denied|no such|not found|unrecognized/i.test(l)) ?? lines.at(-1) ?? "";
  return problem.replace(/^\[[^\]]*\]\s*/, "");
}

async function waitForSocket(path: string, child: ChildProcess, timeoutMs: number, output: () => string, mpvPath: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let spawnError: NodeJS.ErrnoException | null = null;
  child.once("error", (err) => {
    spawnError = err;
  });
  for (;;) {
    if (spawnError !== null) {
      const err: NodeJS.ErrnoException = spawnError;
      if (err.code === "ENOENT") throw new Error(`Cannot run mpv: "${mpvPath}" was not found (ENOENT). Install mpv, or give its path with --mpv.`);
      throw new Error(`Cannot run mpv ("${mpvPath}"): ${err.message}`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      const said = mpvProblem(output());
      const why = said ? `: ${said.replace(/\.$/, "")}` : "";
      throw new Error(`mpv exited (${child.exitCode ?? child.signalCode}) before opening ${path}${why}. Check the mpv options (after --), or run mpv alone.`);
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
