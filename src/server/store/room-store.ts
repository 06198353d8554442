/**
 * Where room state is persisted, behind one interface. The in-memory store
 * is the default; durable and multi-instance stores implement the same
 * contract (test/unit/server/store contract suite).
 */
import type { ChatEntry, RoomSettings, Timeline } from "../../protocol/index.js";

export interface RoomSnapshot {
  id: string;
  name: string;
  hostId: string;
  timeline: Timeline;
  settings: RoomSettings;
  media: { url: string | null; id: string | null; title: string | null };
  isPrivate: boolean;
  createdAt: number;
  chat: ChatEntry[];
}

export interface RoomStore {
  save(room: RoomSnapshot): void;
  remove(roomId: string): void;
  loadAll(): RoomSnapshot[];
  close(): void;
}
