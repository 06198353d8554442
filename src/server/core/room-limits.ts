/**
 * Limits on what one address can hold, so that cheap abuse (connect,
 * create a private room, drop; or hello + join + drop) cannot fill the
 * server's rooms or a room's seats with nobody in them.
 */
import type { Hub } from "./hub.js";
import { endSession } from "./membership.js";
import type { Room } from "./room.js";
import type { Session } from "./session.js";

/** Whether `session`'s address may open one more room (`maxRoomsPerIp`; rooms held for the resume grace count). */
export function mayHoldAnotherRoom(hub: Hub, session: Session): boolean {
  const limit = hub.config.maxRoomsPerIp;
  if (limit === 0 || session.ip === null) return true;
  let held = 0;
  for (const [roomId, ip] of hub.roomCreators) {
    if (!hub.rooms.has(roomId)) hub.roomCreators.delete(roomId);
    else if (ip === session.ip) held++;
  }
  return held < limit;
}

/** Remembers who opened a room, for mayHoldAnotherRoom. */
export function noteRoomCreated(hub: Hub, room: Room, session: Session): void {
  if (session.ip !== null) hub.roomCreators.set(room.id, session.ip);
}

/**
 * A full room gives a newcomer the seat of the member that dropped first
 * and is still within its resume grace: that member leaves (`client_left`
 * reason `expired`) as if its grace had run out. Members who are connected
 * are never displaced. Returns whether a seat is free now.
 */
export function freeGhostSeat(hub: Hub, room: Room): boolean {
  let ghost: Session | null = null;
  for (const id of room.members.keys()) {
    const s = hub.sessions.get(id);
    if (!s || s.connected) continue;
    if (!ghost || (s.droppedAt ?? 0) < (ghost.droppedAt ?? 0)) ghost = s;
  }
  if (!ghost) return false;
  hub.log.info({ room: room.id, client: ghost.id }, "seat of a member in its resume grace given to a newcomer");
  endSession(hub, ghost, "expired");
  return room.members.size < hub.config.maxMembersPerRoom;
}
