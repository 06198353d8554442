/**
 * Where room state is persisted, behind one interface. The in-memory store
 * is the default; durable and multi-instance stores implement the same
 * contract (test/unit/server/store contract suite).
 */
import type { ChatEntry, RoomSettings, Timeline } from "../../protocol/index.js";

/** A member whose session can be resumed after a restart (SDK clients that sent `hello`). */
export interface MemberSnapshot {
  id: string;
  name: string;
  resumeToken: string;
  joinedAt: number;
  userId: string | null;
  canCreate: boolean;
  canJoin: boolean;
  /** False for a seed client (no `hello`), kept in cluster mode so its gateway can re-attach it after a failover. Absent = true. */
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

export interface RoomStore {
  /** Writes these snapshots and removes these rooms, atomically where the store can. */
  write(save: RoomSnapshot[], remove: string[]): void;
  loadAll(): RoomSnapshot[];
  close(): void;
}
