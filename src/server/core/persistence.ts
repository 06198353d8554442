/**
 * Persistence: changes mark a room dirty. What a client was just handed
 * (room ids, resume tokens, acknowledged commands, chat lines) is written
 * before the reply leaves: Connection flushes the dirty rooms synchronously
 * after each handler, before releasing the replies it held back. Changes no
 * one was told about (timers: grace expiry, buffering waits) are written
 * behind, at most one flush per `persistIntervalMs`. On start-up, rooms and
 * their resumable members come back: members are "reconnecting" for the
 * resume grace, so SDK clients resume with the same id, room and host role.
 *
 * Imports nothing of membership: what restored sessions and rooms do when
 * their grace ends is passed in by the core (no import cycle).
 */
import type { RoomSnapshot } from "../store/room-store.js";
import type { Hub } from "./hub.js";
import { TokenBucket } from "./rate-limiter.js";
import { Room } from "./room.js";
import { Session } from "./session.js";

/** What becomes of restored state nobody claims within the resume grace. */
export interface RestoreHandlers {
  /** A restored member did not resume in time: end its session. */
  graceExpired(session: Session): void;
  /** A restored room with no resumable member is still empty after the grace: close it. */
  emptyRoomExpired(room: Room): void;
}

export function markDirty(hub: Hub, roomId: string): void {
  hub.dirtyRooms.add(roomId);
  if (hub.persistTimer !== null) return;
  hub.persistTimer = hub.clock.setTimeout(() => {
    hub.persistTimer = null;
    flushRooms(hub);
  }, hub.config.persistIntervalMs);
}

/** Writes every dirty room now. Store failures are logged; the rooms stay dirty for the next flush. */
export function flushRooms(hub: Hub): void {
  if (hub.persistTimer !== null) hub.clock.clearTimeout(hub.persistTimer);
  hub.persistTimer = null;
  if (hub.dirtyRooms.size === 0) return;
  const save: RoomSnapshot[] = [];
  const remove: string[] = [];
  for (const id of hub.dirtyRooms) {
    const room = hub.rooms.get(id);
    if (room) save.push(snapshotOf(hub, room));
    else remove.push(id);
  }
  try {
    hub.store.write(save, remove);
    hub.dirtyRooms.clear();
    hub.storeHealth.succeeded(hub.now());
  } catch (err) {
    hub.storeHealth.failed(err, hub.now());
    hub.observer.storeWriteFailed();
    // The rooms stay dirty; the next flush (at most persistIntervalMs away) retries them.
    const [first] = hub.dirtyRooms;
    if (first !== undefined) markDirty(hub, first);
  }
}

export function snapshotOf(hub: Hub, room: Room): RoomSnapshot {
  const members: RoomSnapshot["members"] = [];
  for (const [id, m] of room.members) {
    const s = hub.sessions.get(id);
    // Seed clients cannot resume; they rejoin by hand. In cluster mode they are kept (flagged), so a
    // failover can re-attach them to the room on another instance while their socket stays open.
    if (!s || (!s.extended && !hub.cluster)) continue;
    members.push({
      ...(s.extended ? {} : { extended: false }),
      id,
      name: s.name,
      resumeToken: s.resumeToken,
      joinedAt: m.joinedAt,
      userId: s.identity?.userId ?? null,
      canCreate: s.identity?.canCreate ?? true,
      canJoin: s.identity?.canJoin ?? true,
    });
  }
  return {
    id: room.id,
    name: room.name,
    hostId: room.hostId,
    timeline: { ...room.timeline },
    settings: { ...room.settings },
    media: { ...room.media },
    isPrivate: room.isPrivate,
    passwordHash: room.passwordHash,
    createdAt: room.createdAt,
    chat: [...room.chat],
    members,
  };
}

/** Brings stored rooms back. A room with nobody to resume stays open for the grace, then closes. */
export function restoreRooms(hub: Hub, snapshots: RoomSnapshot[], on: RestoreHandlers): void {
  const now = hub.now();
  for (const snap of snapshots) {
    const host = snap.members.some((m) => m.id === snap.hostId) ? snap.hostId : (snap.members[0]?.id ?? "");
    const room = new Room(snap.id, snap.name, host, 0, now, snap.settings, snap.media, snap.isPrivate, snap.createdAt);
    room.timeline = snap.timeline;
    room.passwordHash = snap.passwordHash ?? null;
    room.chat.push(...snap.chat);
    hub.rooms.set(room.id, room);
    for (const m of snap.members) {
      const session = new Session(
        m.id,
        null,
        m.resumeToken,
        { userId: m.userId, name: null, canCreate: m.canCreate, canJoin: m.canJoin },
        new TokenBucket(hub.config.maxMessagesPerSecond, hub.config.messageBurst, now),
      );
      session.name = m.name;
      session.extended = m.extended !== false;
      session.roomId = room.id;
      room.addMember(m.id, m.joinedAt);
      hub.sessions.set(m.id, session);
      hub.resumeTokens.set(m.resumeToken, m.id);
      session.graceTimer = hub.clock.setTimeout(() => {
        session.graceTimer = null;
        if (!session.connected) on.graceExpired(session);
      }, hub.config.resumeGraceMs);
    }
    if (snap.members.length === 0) {
      room.emptyTimer = hub.clock.setTimeout(() => {
        room.emptyTimer = null;
        if (room.members.size === 0) on.emptyRoomExpired(room);
      }, hub.config.resumeGraceMs);
    }
  }
  if (snapshots.length > 0) hub.log.info({ rooms: snapshots.length }, "rooms restored from the store");
}
