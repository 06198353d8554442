import type { RoomSnapshot, RoomStore } from "./room-store.js";

/** Keeps snapshots in a Map: state lives as long as the process. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, RoomSnapshot>();
  save(room: RoomSnapshot): void {
    this.rooms.set(room.id, structuredClone(room));
  }
  remove(roomId: string): void {
    this.rooms.delete(roomId);
  }
  loadAll(): RoomSnapshot[] {
    return [...this.rooms.values()].map((r) => structuredClone(r));
  }
  close(): void {}
}
