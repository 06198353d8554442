/**
 * Has mpv opened the media? Before the mpv command joins or creates a room
 * it waits for the player's `ready` (mpv's `file-loaded`), and fails with
 * one sentence instead when mpv reports the load failed (`end-file` with
 * reason `error`), is idle with nothing open (the failure came before we
 * connected), quits, or has not loaded within the time allowed.
 */
import { existsSync } from "node:fs";
import type { MpvPlayer } from "../players/mpv/mpv-player.js";
import { MpvPartyError } from "./server-connect.js";

/** A URL (`https://…`, `av://…`, `ytdl://…`) rather than a local path; `C:\…` counts as a path. */
export function isUrl(media: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(media);
}

/** Fails at once for a local file that does not exist (mpv would only start idle). */
export function checkLocalMedia(media: string): void {
  if (!isUrl(media) && !existsSync(media)) {
    throw new MpvPartyError(`No such file: ${media}. Check the path (or give a URL).`);
  }
}

export interface MediaWaitOptions {
  /** The media as given, or a description ("the mpv at /tmp/x.sock"), for messages. */
  what: string;
  timeoutMs: number;
  /** mpv's last printed line, to say why it failed ("" when unknown). */
  mpvSaid: () => string;
  signal?: AbortSignal;
  /** Attached to a user's mpv: idle means "nothing open yet", said differently. */
  attached?: boolean;
}

/** `ready` must be subscribed to before the player could emit it (right after MpvPlayer.connect). */
export async function waitForMedia(player: MpvPlayer, ready: Promise<unknown>, o: MediaWaitOptions): Promise<void> {
  const ipc = player.ipc;
  const offs: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const couldNot = (reason: string) => {
    const said = o.mpvSaid();
    return new MpvPartyError(`mpv could not open ${o.what}: ${(said || reason).replace(/\.$/, "")}. Check the file or URL, or try it in mpv alone.`);
  };
  const failed = new Promise<never>((_, reject) => {
    offs.push(
      ipc.on("end-file", (e) => {
        if (e["reason"] === "error") reject(couldNot(String(e["file_error"] ?? "load failed")));
      }),
      ipc.onClose(() => reject(new MpvPartyError(`mpv quit before it had opened ${o.what}.`))),
    );
    timer = setTimeout(() => {
      const said = o.mpvSaid();
      reject(new MpvPartyError(`mpv has not opened ${o.what} within ${Math.round(o.timeoutMs / 1000)} s${said ? ` (${said})` : ""}. Check the file or URL.`));
    }, o.timeoutMs);
    o.signal?.addEventListener("abort", () => reject(new MpvPartyError(`Interrupted while mpv was opening ${o.what}.`)), { once: true });
    // Replies and events come in order: idle now means the load already ended (or never began).
    ipc.command(["get_property", "idle-active"]).then(
      (idle) => {
        if (idle !== true) return;
        reject(o.attached ? new MpvPartyError(`${o.what} has no file open: open one in it first, or give a file or URL.`) : couldNot("load failed"));
      },
      () => {},
    );
  });
  try {
    await Promise.race([ready, failed]);
  } finally {
    clearTimeout(timer);
    for (const off of offs) off();
  }
}
