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
  // Only this address's rooms are looked at (a walk over every room per create was quadratic in a join storm: issue 14).
  const mine = hub.roomsByCreator.get(session.ip);
  if (!mine) return true;
  for (const roomId of mine) if (!hub.rooms.has(roomId)) forget(hub, roomId);
  return mine.size < limit;
}

function forget(hub: Hub, roomId: string): void {
  const ip = hub.roomCreators.get(roomId);
  hub.roomCreators.delete(roomId);
  if (ip === undefined) return;
  const rooms = hub.roomsByCreator.get(ip);
  rooms?.delete(roomId);
  if (rooms?.size === 0) hub.roomsByCreator.delete(ip);
}

/** Remembers who opened a room, for mayHoldAnotherRoom. */
export function noteRoomCreated(hub: Hub, room: Room, session: Session): void {
  if (session.ip === null) return;
  // Closed rooms of addresses that never come back are swept two at a time, oldest first (O(1) per create).
  for (let i = 0; i < 2; i++) {
    const oldest = hub.roomCreators.entries().next();
    if (oldest.done) break;
    const [id, ip] = oldest.value;
    if (!hub.rooms.has(id)) {
      forget(hub, id);
      continue;
    }
    hub.roomCreators.delete(id);
    hub.roomCreators.set(id, ip);
  }
  hub.roomCreators.set(room.id, session.ip);
  let mine = hub.roomsByCreator.get(session.ip);
  if (!mine) {
    mine = new Set();
    hub.roomsByCreator.set(session.ip, mine);
  }
  mine.add(room.id);
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
