/**
 * Whether the room still plays the media mpv was started on. The room's
 * media when mpv joined (its `media_url` / `media_id`) is taken as mpv's:
 * watching one's own copy of the film is allowed (the room does not check
 * files). When the host changes the room's media (the next episode, another
 * URL), mpv's file is not the new media: following the room's timeline on
 * it would show another film "in sync". `changed` is called once per switch
 * away (with the room's new title or URL), `same` once when the room comes
 * back to mpv's media (or names the file mpv plays as its URL).
 */
import type { PartyClient } from "../client/party-client.js";
import type { RoomView } from "../client/room-state.js";

export interface RoomMediaHandlers {
  /** The room now plays other media than mpv's; `what` names it for the viewer. */
  changed(what: string): void;
  /** The room plays mpv's media again. */
  same(): void;
}

interface MediaKey {
  url: string | null;
  id: string | null;
}

/**
 * Watches `room_settings` changes against the media the room had when this
 * was called; `playing()` gives the path or URL mpv has open (compared with
 * the room's `media_url`). Returns an unsubscribe.
 */
export function watchRoomMedia(client: PartyClient, playing: () => string | null, handlers: RoomMediaHandlers): () => void {
  const room = client.room;
  const ours: MediaKey = { url: room?.mediaUrl ?? null, id: room?.mediaId ?? null };
  let elsewhere = false;
  const check = (now: RoomView) => {
    const same = (now.mediaUrl === ours.url && now.mediaId === ours.id) || (now.mediaUrl !== null && now.mediaUrl === playing());
    if (same && elsewhere) {
      elsewhere = false;
      handlers.same();
    } else if (!same && !elsewhere) {
      elsewhere = true;
      handlers.changed(now.mediaTitle ?? now.mediaUrl ?? now.mediaId ?? "other media");
    }
  };
  // A change while connected (room_settings), or one missed while reconnecting (the room_state on resume).
  const offs = [
    client.on("change", ({ change, room: now }) => {
      if (change === "settings" && now) check(now);
    }),
    client.on("room", (now) => {
      if (now) check(now);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
