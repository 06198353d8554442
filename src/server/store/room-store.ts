/**
 * Where room state is persisted, behind one interface. The in-memory store
 * is the default; durable and multi-instance stores implement the same
 * contract (test/unit/server/store contract suite).
 */
import type { ChatEntry, RoomSettings, Timeline } from "../../protocol/index.js";

/**
 * A member whose session can be resumed after a restart (SDK clients that
 * sent `hello`); with a store that `keepsSeedMembers`, seed clients too,
 * flagged `extended: false` (their gateway re-attaches them on failover).
 */
export interface MemberSnapshot {
  id: string;
  name: string;
  resumeToken: string;
  joinedAt: number;
  userId: string | null;
  canCreate: boolean;
  canJoin: boolean;
  /** False for a seed client (no `hello`); absent means true. */
  extended?: boolean;
}

export interface RoomSnapshot {
  id: string;
  name: string;
  hostId: string;
  timeline: Timeline;
  settings: RoomSettings;
  media: { url: string | null; id: string | null; title: string | null };
  isPrivate: boolean;
  /** Salted SHA-256 of the room's join password, when it has one (absent in older snapshots). */
  passwordHash?: string | null;
  createdAt: number;
  chat: ChatEntry[];
  members: MemberSnapshot[];
}

/**
 * Memory and SQLite are synchronous: `write` returns once stored (throws on
 * failure). Redis is asynchronous: `write` returns a promise, and the core
 * holds the replies that describe those rooms until it settles.
 */
export interface RoomStore {
  /**
   * Writes these snapshots and removes these rooms, atomically where the
   * store can. A rejection with FencedError means the other rooms of the
   * batch were written but these were not: this instance no longer owns them.
   */
  write(save: RoomSnapshot[], remove: string[]): void | Promise<void>;
  /**
   * Every stored room, at start-up (a cluster store returns [] and loads rooms
   * as they are claimed). A stored room that cannot be read back (not JSON,
   * or not a room's shape: snapshot-check.ts) is left where it is and told to
   * `onUnreadable` with its id and why, and the other rooms still load.
   */
  loadAll(onUnreadable?: (roomId: string, reason: string) => void): RoomSnapshot[];
  /** One stored room, or null (stores shared between instances). */
  load?(roomId: string): Promise<RoomSnapshot | null>;
  /** Snapshots include seed clients (flagged `extended: false`): set by stores whose rooms move between instances. */
  readonly keepsSeedMembers?: boolean;
  /**
   * Checks that the store still writes where it will be read back (a file
   * store: its file was not deleted or replaced meanwhile). Throws
   * StoreReopenedError when it had to start a new, empty file, so every room
   * must be written again; other errors when it cannot write at all.
   */
  verify?(): void;
  close(): void;
}

/** The store opened its file afresh (the old one was deleted or replaced while it ran): it holds no room now. */
export class StoreReopenedError extends Error {
  override name = "StoreReopenedError";
}

/** The store refused to write `rooms`: another instance owns them now (fencing epoch moved on). */
export class FencedError extends Error {
  override name = "FencedError";
  constructor(readonly rooms: string[]) {
    super(`fenced out of ${rooms.length} room(s): ${rooms.join(", ")}`);
  }
}
