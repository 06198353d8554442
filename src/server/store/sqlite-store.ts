/**
 * Rooms on disk in SQLite (better-sqlite3): one row per room holding its
 * snapshot as JSON. WAL mode, one transaction per flush. Survives restarts;
 * a crash loses at most the last flush interval.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { RoomSnapshot, RoomStore } from "./room-store.js";

const SCHEMA_VERSION = 1;

export class SqliteRoomStore implements RoomStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly del: Database.Statement<[string]>;
  private readonly writeTx: (save: RoomSnapshot[], remove: string[]) => void;
  private closed = false;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`CREATE TABLE IF NOT EXISTS rooms (
      id TEXT PRIMARY KEY,
      snapshot TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    const version = this.db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path} was written by a newer OpenSyncParty (schema ${version} > ${SCHEMA_VERSION}).`);
    }
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.upsert = this.db.prepare(
      "INSERT INTO rooms (id, snapshot, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at",
    );
    this.del = this.db.prepare("DELETE FROM rooms WHERE id = ?");
    this.writeTx = this.db.transaction((save: RoomSnapshot[], remove: string[]) => {
      const now = Date.now();
      for (const room of save) this.upsert.run(room.id, JSON.stringify(room), now);
      for (const id of remove) this.del.run(id);
    });
  }

  write(save: RoomSnapshot[], remove: string[]): void {
    if (save.length === 0 && remove.length === 0) return;
    this.writeTx(save, remove);
  }

  loadAll(): RoomSnapshot[] {
    const rows = this.db.prepare("SELECT snapshot FROM rooms").all() as Array<{ snapshot: string }>;
    return rows.map((r) => JSON.parse(r.snapshot) as RoomSnapshot);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
