/**
 * Joining, leaving and host hand-over. One room per connection: joining
 * another room leaves the first. A host that leaves hands the role to the
 * longest-present member; a room closes only when nobody is left in it.
 */
import type { ClientLeftPayload, HostChangedPayload } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import { emitMemberRemoved } from "./member-events.js";
import type { Room } from "./room.js";
import { announceMemberChange, persist, roomStatePayload } from "./room-views.js";
import type { Session } from "./session.js";

/** Puts `session` in `room` and sends it the room; returns the length of that room_state (reply-budget.ts). */
export function addToRoom(hub: Hub, session: Session, room: Room): number {
  if (session.roomId && session.roomId !== room.id) removeFromRoom(hub, session, "joined_other_room");
  if (!room.members.has(session.id)) room.addMember(session.id, hub.now());
  session.roomId = room.id;
  // Back in the lobby later, it gets the list again (even if unchanged): its lobby view may be gone meanwhile.
  session.roomListSeen = -1;
  persist(hub, room);
  const sent = hub.send(session, "room_state", roomStatePayload(hub, room, session.id), room.id);
  // Coalesced like a member's own changes: one member joining and leaving in a loop sent the whole list to everyone per step.
  // Alone in the room (it was just created), the joiner's room_state said it all: no update, and no coalescing window opened.
  if (room.members.size > 1) announceMemberChange(hub, room);
  hub.scheduleLobbyPush(room.id);
  return sent;
}

/** Takes the session out of its room, migrating the host role or closing the room as needed. */
export function removeFromRoom(hub: Hub, session: Session, reason: ClientLeftPayload["reason"]): void {
  const room = session.roomId ? hub.rooms.get(session.roomId) : undefined;
  session.roomId = null;
  if (!room?.members.delete(session.id)) return;
  emitMemberRemoved(hub, room, session.id);
  if (room.members.size === 0) {
    closeRoom(hub, room, "empty");
    return;
  }
  persist(hub, room);
  hub.broadcast(room, "client_left", { client_id: session.id, reason });
  if (room.hostId === session.id) {
    const next = room.longestPresent(session.id, hub.isConnected);
    // A host who left on purpose (leave_room, or joining another room) "left"; one whose connection went (or whose grace ran out) "disconnected".
    if (next) setHost(hub, room, next, reason === "left" || reason === "joined_other_room" ? "host_left" : "host_disconnected");
  }
  announceMemberChange(hub, room);
  hub.scheduleLobbyPush(room.id);
}

export function setHost(hub: Hub, room: Room, hostId: string, reason: HostChangedPayload["reason"]): void {
  const previous = room.hostId;
  if (previous === hostId) return;
  room.hostId = hostId;
  hub.broadcast(room, "host_changed", {
    host_id: hostId,
    previous_host_id: room.members.has(previous) || reason !== "transfer" ? previous : null,
    reason,
  });
  persist(hub, room);
}

export function closeRoom(hub: Hub, room: Room, reason: "empty" | "closed" | "shutdown"): void {
  if (!hub.rooms.delete(room.id)) return;
  room.stopTimers(hub.clock);
  hub.broadcast(room, "room_closed", { reason });
  for (const id of room.members.keys()) {
    const s = hub.sessions.get(id);
    if (s && s.roomId === room.id) s.roomId = null;
  }
  room.members.clear();
  persist(hub, room);
  hub.log.info({ room: room.id, reason }, "room closed");
  hub.scheduleLobbyPush(room.id);
}

/** Ends a session for good: leaves its room and forgets its resume token. */
export function endSession(hub: Hub, session: Session, reason: ClientLeftPayload["reason"]): void {
  if (session.graceTimer !== null) hub.clock.clearTimeout(session.graceTimer);
  session.graceTimer = null;
  session.closed = true;
  removeFromRoom(hub, session, reason);
  hub.sessions.delete(session.id);
  hub.resumeTokens.delete(session.resumeToken);
  hub.observer.sessionEnded(session.id);
}
