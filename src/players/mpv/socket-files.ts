/**
 * The IPC socket files of the mpv processes we start: where they go, and
 * removing them. mpv does not delete its `--input-ipc-server` socket when it
 * quits, so whoever started mpv must; a run killed outright (SIGKILL, power
 * loss) cannot, and the next run removes what such runs left behind.
 *
 * Our default names are `opensyncparty-mpv-<our pid>-<8 hex>.sock` in the
 * OS temp dir. A file is stale when it has that name, the pid in it is not a
 * live process, and nothing accepts a connection on it (an mpv left running
 * by a dead parent keeps its socket).
 */
import { randomBytes } from "node:crypto";
import { readdirSync, unlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OUR_SOCKET = /^opensyncparty-mpv-(\d+)-[0-9a-f]{8}\.sock$/;

export function defaultIpcPath(dir: string = tmpdir()): string {
  return join(dir, `opensyncparty-mpv-${process.pid}-${randomBytes(4).toString("hex")}.sock`);
}

/** Deletes `path`; a file already gone (or never made) is fine. */
export function removeSocketFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // ENOENT, or not ours to delete: nothing more to do
  }
}

/** True when process `pid` exists (signal 0 checks without signalling; EPERM means it exists as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Resolves true when something accepts a connection on the socket at `path` within `timeoutMs`. */
function listening(path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Removes the stale sockets of earlier runs from `dir` (default the OS temp
 * dir): only names of our own pattern whose pid is dead and that nobody
 * listens on. Returns the paths removed. Never throws.
 */
export async function removeStaleSocketFiles(dir: string = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(OUR_SOCKET.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    const path = join(dir, name);
    if (await listening(path, 500)) continue;
    removeSocketFile(path);
    removed.push(path);
  }
  return removed;
}
