import type { RoomSnapshot, RoomStore } from "./room-store.js";

/** Keeps snapshots in a Map: state lives as long as the process. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, RoomSnapshot>();
  write(save: RoomSnapshot[], remove: string[]): void {
    for (const room of save) this.rooms.set(room.id, structuredClone(room));
    for (const id of remove) this.rooms.delete(id);
  }
  loadAll(): RoomSnapshot[] {
    return [...this.rooms.values()].map((r) => structuredClone(r));
  }
  close(): void {}
}
