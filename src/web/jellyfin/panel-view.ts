/**
 * What the panel shows, built from the party's state: the room, its invite
 * link, and one line on this browser's player (on the party, finding out
 * what it plays, playing something else, or why its item is unknown).
 * Nothing a viewer needs to know stays silent (the joiner's player used to
 * wait forever with no word).
 */
import type { PartyClient } from "../../client/party-client.js";
import { inviteLink } from "./invite.js";
import type { PanelView } from "./panel.js";
import type { ItemResolution } from "./playing-item.js";

export interface PlayerLine {
  text: string;
  /** A problem the viewer should see. */
  problem: boolean;
}

export function playerLine(
  r: ItemResolution,
  roomItem: string | null,
  bound: boolean,
  inRoom: boolean,
  titles: ReadonlyMap<string, string | null>,
  leftOnPurpose = false,
): PlayerLine {
  const name = (id: string | null) => (id ? (titles.get(id) ?? "another item") : "the party's item");
  if (bound) return { text: "Your player is on the party.", problem: false };
  switch (r.state) {
    case "none":
      if (!inRoom) return { text: "Play something to watch it together.", problem: false };
      return { text: roomItem ? `Opening ${name(roomItem)}…` : "Play something to watch it together.", problem: false };
    case "resolving":
      return { text: "Finding out what your player is playing…", problem: false };
    case "unresolved":
      return { text: r.reason, problem: true };
    case "resolved":
      if (!inRoom) return { text: `Playing ${titles.get(r.itemId) ?? "an item"}.`, problem: false };
      if (r.itemId === roomItem || roomItem === null) return { text: "Joining your player to the party…", problem: false };
      // Taken to the room's item once already: the viewer went elsewhere on purpose, and stays there unsynced.
      return leftOnPurpose
        ? { text: `Not synced: your player plays ${name(r.itemId)}, the party plays ${name(roomItem)}. Play ${name(roomItem)} to rejoin.`, problem: true }
        : { text: `Your player plays ${name(r.itemId)}, not the party's item: taking you there…`, problem: false };
  }
}

export interface PanelInput {
  client: PartyClient;
  status: string;
  error: string | null;
  syncPlayActive: boolean;
  resolution: ItemResolution;
  bound: boolean;
  /** This member plays another item than the room's after being taken there once. */
  leftOnPurpose?: boolean;
  titles: ReadonlyMap<string, string | null>;
  userName: string;
}

export function panelView(i: PanelInput): PanelView {
  const room = i.client.room;
  return {
    status: i.syncPlayActive ? "Paused while a Jellyfin SyncPlay group is active" : i.status,
    error: i.error,
    rooms: i.client.rooms,
    room: room
      ? {
          name: room.name,
          mediaTitle: room.mediaTitle,
          participants: room.participants,
          chat: room.chat,
          selfId: i.client.clientId,
          waitingFor: room.waitingFor,
          invite: inviteLink(room.id, room.mediaId),
        }
      : null,
    player:
      room && room.mediaId === null && room.mediaUrl !== null && !i.bound
        ? { text: `Not synced: the party plays ${room.mediaTitle ?? room.mediaUrl}, a link, not a Jellyfin item. Open the party page to watch it.`, problem: true }
        : playerLine(i.resolution, room ? room.mediaId : null, i.bound, !!room, i.titles, i.leftOnPurpose),
    defaultRoomName: `${i.userName}'s party`,
    canCreate: !i.syncPlayActive,
  };
}
