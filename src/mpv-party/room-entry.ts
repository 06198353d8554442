/**
 * Into the room for the mpv command: create or join it, saying a refusal in
 * one sentence with what to do, and find what a joined room plays.
 */
import { PartyError } from "../client/errors.js";
import type { PartyClient } from "../client/party-client.js";
import { type JellyfinItem, type JellyfinSession, getItem, isJellyfinItemId } from "./jellyfin-client.js";
import { MpvPartyError } from "./server-connect.js";

/** Thrown when there is nothing to play: no media given and the room names no Jellyfin item. */
export class NoMediaError extends Error {
  override name = "NoMediaError";
}

export type Entry = { create: string; item: JellyfinItem | null; media: string | undefined } | { room: string; password: string | undefined };

/** Creates or joins the room; a refusal becomes one sentence saying what to do. */
export async function enterRoom(client: PartyClient, server: string, e: Entry): Promise<void> {
  if ("create" in e) {
    const title = e.item?.name ?? (e.media ? titleOf(e.media) : undefined);
    try {
      await client.createRoom({ name: e.create, ...(e.item ? { mediaId: e.item.id } : {}), ...(title ? { mediaTitle: title } : {}) });
    } catch (err) {
      throw new MpvPartyError(`The party server did not create the room: ${(err as Error).message}`);
    }
    return;
  }
  try {
    await client.joinRoom(e.room, e.password ? { password: e.password } : {});
  } catch (err) {
    const code = err instanceof PartyError ? err.code : "";
    if (code === "room_not_found") {
      throw new MpvPartyError(
        `No room "${e.room}" on ${server}: check the id (the part after ?room= in the invite link, such as k3xq9mbw2a) and that --server is the host's server.`,
      );
    }
    if (code === "password_required") throw new MpvPartyError(`Room ${e.room} has a password: give it with --password.`);
    if (code === "wrong_password") throw new MpvPartyError(`The password for room ${e.room} is wrong.`);
    throw new MpvPartyError(`Cannot join room ${e.room}: ${(err as Error).message}${code ? ` (${code})` : ""}`);
  }
}

/** The stream of the Jellyfin item the room names (its media_id). */
export async function roomMedia(client: PartyClient, jellyfin: JellyfinSession | undefined): Promise<string> {
  const room = client.room;
  const mediaId = room?.mediaId;
  if (!isJellyfinItemId(mediaId)) throw new NoMediaError(`Room ${room?.id} names no Jellyfin item to play: give a file or URL.`);
  if (!jellyfin) {
    throw new NoMediaError(`Room ${room?.id} plays Jellyfin item ${mediaId}: log in with --jellyfin <url> to play it, or give a file or URL.`);
  }
  return (await getItem(jellyfin, mediaId)).streamUrl;
}

function titleOf(media: string): string {
  const last = media.split(/[/\\]/).pop() ?? media;
  return decodeURIComponent(last.split("?")[0] ?? last).slice(0, 200);
}
