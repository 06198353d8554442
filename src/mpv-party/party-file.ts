/**
 * Which of the files mpv plays is the party's: the one it had open when the
 * party started. mpv goes on to other files by itself or at the viewer's
 * word — the next playlist entry at the end of a file (`--keep-open=yes`
 * only holds the last entry), `>`/`<`, a file dropped on the window,
 * `loadfile` — and the party must not follow the room's timeline on them,
 * nor take their duration, pauses and seeks for the room's media's (a
 * shorter file's duration ended the film for everyone).
 *
 * mpv's `start-file` (a file is about to load, before its duration or
 * position change) calls `leaving`; its `file-loaded` compares the new
 * `path` with the party's (local paths resolved against mpv's
 * `working-directory`, so `a.mkv` and `/films/a.mkv` are one file) and
 * calls `back` or `away`.
 */
import { resolve } from "node:path";
import type { MpvIpc } from "../players/mpv/mpv-ipc.js";

export interface PartyFileHandlers {
  /** mpv starts loading a file (the party's or another): stop syncing until it is known. */
  leaving(): void;
  /** The loaded file is the party's again (or still). */
  back(): void;
  /** The loaded file is another one, `path` as mpv names it. */
  away(path: string): void;
}

/** A URL (`https://…`, `ytdl://…`) is compared as it is; anything else is a local path. */
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

async function loadedFile(ipc: MpvIpc): Promise<{ path: string; key: string } | null> {
  const [path, dir] = await Promise.all([
    ipc.command(["get_property", "path"]).catch(() => null),
    ipc.command(["get_property", "working-directory"]).catch(() => null),
  ]);
  if (typeof path !== "string") return null;
  const key = URL_RE.test(path) || typeof dir !== "string" ? path : resolve(dir, path);
  return { path, key };
}

/** Watches mpv's file changes against the file open now; returns a stop function. */
export function followPartyFile(ipc: MpvIpc, handlers: PartyFileHandlers): () => void {
  const party = loadedFile(ipc);
  let stopped = false;
  let loads = 0;
  const offStart = ipc.on("start-file", () => {
    if (!stopped) handlers.leaving();
  });
  const offLoaded = ipc.on("file-loaded", () => {
    const load = ++loads;
    void Promise.all([party, loadedFile(ipc)]).then(([ours, now]) => {
      // A later load decides instead; an unreadable path keeps the party on (the old behaviour).
      if (stopped || load !== loads) return;
      if (!ours || !now || now.key === ours.key) handlers.back();
      else handlers.away(now.path);
    });
  });
  return () => {
    stopped = true;
    offStart();
    offLoaded();
  };
}
