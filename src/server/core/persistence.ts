/**
 * Persistence: changes mark a room dirty. What a client was just handed
 * (room ids, resume tokens, acknowledged commands, chat lines) is written
 * before the reply leaves: Connection writes the rooms a handler changed
 * synchronously after it, before releasing the replies it held back.
 * Changes no one was told about (timers: grace expiry, buffering waits) and
 * those of write-behind messages (the host's state_update, already relayed)
 * are written behind: every such room in one transaction per
 * `persistIntervalMs`, not one room at a time along with each reply. On start-up, rooms and
 * their resumable members come back: members are "reconnecting" for the
 * resume grace, so SDK clients resume with the same id, room and host role.
 *
 * Imports nothing of membership: what restored sessions and rooms do when
 * their grace ends is passed in by the core (no import cycle).
 */
import { positionAt } from "../../protocol/index.js";
import { FencedError, type RoomSnapshot, StoreReopenedError } from "../store/room-store.js";
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
  if (hub.trackingTouched) hub.touchedRooms.add(roomId);
  if (hub.persistTimer !== null) return;
  hub.persistTimer = hub.clock.setTimeout(() => {
    hub.persistTimer = null;
    void flushRooms(hub);
  }, hub.config.persistIntervalMs);
}

/**
 * Writes every dirty room now, or with `only` just those of them (the rooms
 * one handler changed; the rest stay dirty for the write-behind flush, whose
 * timer keeps running). Synchronous stores: returns undefined once written.
 * Asynchronous stores (Redis): returns a promise that settles when the write
 * did (it never rejects). Failures are logged and the rooms stay dirty for
 * the next flush; rooms the store fenced out go to hub.onFenced.
 */
export function flushRooms(hub: Hub, only?: ReadonlySet<string>): Promise<void> | undefined {
  if (!only && hub.persistTimer !== null) {
    hub.clock.clearTimeout(hub.persistTimer);
    hub.persistTimer = null;
  }
  if (hub.dirtyRooms.size === 0) return undefined;
  const save: RoomSnapshot[] = [];
  const remove: string[] = [];
  for (const id of only ?? hub.dirtyRooms) {
    if (only && !hub.dirtyRooms.has(id)) continue;
    const room = hub.rooms.get(id);
    if (room) save.push(snapshotOf(hub, room));
    else remove.push(id);
  }
  if (save.length === 0 && remove.length === 0) return undefined;
  let written: void | Promise<void>;
  try {
    written = hub.store.write(save, remove);
  } catch (err) {
    if (err instanceof StoreReopenedError) return rewriteAll(hub, err);
    writeFailed(hub, err, []);
    return undefined;
  }
  // The written rooms are clean now; changes made while an asynchronous write is on its way mark them dirty again.
  for (const room of save) hub.dirtyRooms.delete(room.id);
  for (const id of remove) hub.dirtyRooms.delete(id);
  if (!written) {
    hub.storeHealth.succeeded(hub.now());
    return undefined;
  }
  const ids = [...save.map((r) => r.id), ...remove];
  const settled = written.then(
    () => hub.storeHealth.succeeded(hub.now()),
    (err: unknown) => {
      if (err instanceof FencedError) {
        hub.storeHealth.succeeded(hub.now());
        hub.onFenced(err.rooms);
      } else writeFailed(hub, err, ids);
    },
  );
  hub.trackWrite(settled);
  return settled;
}

/**
 * Checks that the store still writes where it will be read back (its file
 * was not deleted or replaced: RoomStore.verify). Called every
 * STORE_CHECK_INTERVAL_MS and before the final write at shutdown, so an
 * idle server notices too, not only at its next write.
 */
export function checkStore(hub: Hub): void {
  try {
    hub.store.verify?.();
  } catch (err) {
    if (err instanceof StoreReopenedError) rewriteAll(hub, err);
    else writeFailed(hub, err, []);
  }
}

/** How often an idle server checks its store's file, ms. */
export const STORE_CHECK_INTERVAL_MS = 5_000;

/** The store started a new, empty file: every room goes into it now. */
function rewriteAll(hub: Hub, err: StoreReopenedError): undefined {
  hub.log.error({ err: err.message, rooms: hub.rooms.size }, "the data file went away while the server ran; every room is written into a new one");
  for (const id of hub.rooms.keys()) hub.dirtyRooms.add(id);
  void flushRooms(hub);
  return undefined;
}

/** The rooms stay (or become again) dirty; the next flush, at most persistIntervalMs away, retries them. */
function writeFailed(hub: Hub, err: unknown, ids: string[]): void {
  hub.storeHealth.failed(err, hub.now());
  hub.observer.storeWriteFailed();
  for (const id of ids) hub.dirtyRooms.add(id);
  const [first] = hub.dirtyRooms;
  if (first !== undefined) markDirty(hub, first);
}

export function snapshotOf(hub: Hub, room: Room): RoomSnapshot {
  const members: RoomSnapshot["members"] = [];
  for (const [id, m] of room.members) {
    const s = hub.sessions.get(id);
    if (!s) continue;
    // Seed clients cannot resume after a restart; only a store that re-attaches them (cluster failover) keeps them.
    if (!s.extended && !hub.store.keepsSeedMembers) continue;
    members.push({
      id,
      name: s.name,
      resumeToken: s.resumeToken,
      joinedAt: m.joinedAt,
      userId: s.identity?.userId ?? null,
      canCreate: s.identity?.canCreate ?? true,
      canJoin: s.identity?.canJoin ?? true,
      ...(s.extended ? {} : { extended: false }),
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

/**
 * A stored timeline as this run can use it. Its instants are the previous
 * run's wall clock, and the wall clock may have been stepped between the two
 * runs (a machine without a battery-backed clock that starts the server
 * before it synchronizes its time). An anchor further ahead than any
 * scheduled command's lead (`maxLeadMs`) is such a step backwards: left as
 * is, the room stayed frozen "playing" at its position until the clock
 * caught up. A position beyond `maxPositionSeconds` is one forwards (or
 * days of playing while the server was down): the host could no longer
 * send its own position. Both continue from the stored position, anchored
 * now; a stored position outside 0…maxPositionSeconds is clamped.
 */
export function restoredTimeline(
  t: RoomSnapshot["timeline"],
  now: number,
  limits: { maxLeadMs: number; maxPositionSeconds: number },
): RoomSnapshot["timeline"] {
  const position = Math.min(Math.max(t.position, 0), limits.maxPositionSeconds);
  const anchoredAhead = t.anchor_server_ts > now + limits.maxLeadMs;
  const runsPastLimit = t.play_state === "playing" && positionAt({ ...t, position }, now) > limits.maxPositionSeconds;
  if (anchoredAhead || runsPastLimit) return { ...t, position, anchor_server_ts: now };
  return position === t.position ? t : { ...t, position };
}

/** Brings stored rooms back. A room with nobody to resume stays open for the grace, then closes. */
export function restoreRooms(hub: Hub, snapshots: RoomSnapshot[], on: RestoreHandlers): void {
  const now = hub.now();
  for (const snap of snapshots) {
    const host = snap.members.some((m) => m.id === snap.hostId) ? snap.hostId : (snap.members[0]?.id ?? "");
    const room = new Room(snap.id, snap.name, host, 0, now, snap.settings, snap.media, snap.isPrivate, snap.createdAt);
    room.timeline = restoredTimeline(snap.timeline, now, hub.config);
    room.passwordHash = snap.passwordHash ?? null;
    room.restoreChat(snap.chat);
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
      session.extended = m.extended ?? true;
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
