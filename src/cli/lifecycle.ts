/**
 * How `opensyncparty serve` ends (new-user findings 4 and 5):
 *
 * - SIGTERM and SIGINT stop it gracefully. A repeated signal is ignored
 *   (Ctrl+C reaches every process of the terminal's group, and a launcher
 *   may forward the same signal again), not a hard kill mid-shutdown.
 * - SIGHUP re-reads the TLS files when the server is a service (stdout is
 *   not a terminal: certbot's deploy hook, `systemctl reload`). On a
 *   terminal, SIGHUP means the terminal was closed: it stops.
 * - Its launcher going away stops it: under `npm start`, npm runs the
 *   script through `sh -c`, which (dash) does not exec node; a SIGTERM to
 *   npm is forwarded to sh, which dies and leaves node re-parented and still
 *   listening; a SIGHUP kills npm and leaves sh waiting. So when started by
 *   an npm script, a change of parent process, or the end of the process
 *   that started our shell parent (checked every `parentCheckMs`), stops
 *   the server too. A server started
 *   directly keeps running when its parent exits (`nohup … &`).
 * - A shutdown that takes longer than `forceExitAfterMs` exits anyway
 *   (exit 1), so nothing (a stuck write, a hung log pipe) keeps it alive.
 */

import { readFileSync } from "node:fs";
import { pidAlive } from "../players/mpv/socket-files.js";

export interface LifecycleOptions {
  /** Graceful stop; resolves when everything is closed. */
  close(): Promise<void>;
  /** Re-reads the TLS files; false when nothing was reloaded. */
  reload(): boolean;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Whether SIGHUP means "terminal closed" (stdout is a terminal) rather than "reload". */
  onTerminal: boolean;
  /** Watch the parent process: the server was started by an npm script (npm_lifecycle_event set). */
  watchParent: boolean;
  parentCheckMs?: number;
  forceExitAfterMs?: number;
  exit?(code: number): void;
}

export function manageLifecycle(o: LifecycleOptions): { stop(reason: string): void } {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(parentTimer);
    o.log.info({ signal: reason }, "shutting down");
    setTimeout(() => {
      o.log.warn({ after_ms: o.forceExitAfterMs ?? 10_000 }, "shutdown did not finish in time; exiting");
      exit(1);
    }, o.forceExitAfterMs ?? 10_000).unref();
    o.close().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => {
    if (o.onTerminal) return stop("SIGHUP");
    if (!o.reload()) o.log.info({}, "SIGHUP: nothing reloaded (TLS is off or the files are not a valid pair)");
  });
  const { parent, launcher } = LAUNCH;
  const parentTimer = o.watchParent
    ? setInterval(() => {
        if (process.ppid !== parent || (launcher !== null && !pidAlive(launcher))) stop("launcher exited");
      }, o.parentCheckMs ?? 250)
    : undefined;
  parentTimer?.unref();
  return { stop };
}

const SHELLS = new Set(["sh", "dash", "bash", "ash", "zsh", "busybox"]);

/**
 * Who started us, read when this module loads (before the server opens its
 * data file and port): a launcher that is stopped while the server starts
 * is then still noticed (read later, the parent could already be PID 1).
 */
const LAUNCH = {
  parent: process.ppid,
  launcher: process.env["npm_lifecycle_event"] !== undefined ? shellsParent(process.ppid) : null,
};

/**
 * When our parent is a shell (npm's `sh -c`), the process that started it
 * (npm): a SIGHUP kills npm but not the waiting shell, so our own parent
 * never changes. Linux /proc only; elsewhere null (the parent check alone).
 */
function shellsParent(ppid: number): number | null {
  try {
    const comm = readFileSync(`/proc/${ppid}/comm`, "utf8").trim();
    if (!SHELLS.has(comm)) return null;
    const stat = readFileSync(`/proc/${ppid}/stat`, "utf8");
    // pid (comm) state ppid …: comm may hold spaces, so read after the last ")".
    const gp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(gp) && gp > 1 ? gp : null;
  } catch {
    return null;
  }
}
