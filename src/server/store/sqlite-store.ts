/**
 * Rooms on disk in SQLite (better-sqlite3): one row per room holding its
 * snapshot as JSON. WAL mode, one transaction per flush; `synchronous =
 * NORMAL` makes a committed write safe against a crash of this process
 * (not against power loss). `locking_mode = EXCLUSIVE`: the server keeps
 * the file's lock from its first write until it closes the store, so a
 * write takes no file-lock system calls and no shared-memory index (a
 * one-room write ≈ 20 % cheaper: docs/benchmarks.md, "Issue 14: where
 * serve's extra CPU per delivery is"), and a second server pointed at the same file is refused
 * at start instead of writing over this one's rooms. A file that cannot be
 * opened, or is in use by another process, throws a DataFileError naming
 * the path and the fix.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { ConfigError } from "../config.js";
import type { RoomSnapshot, RoomStore } from "./room-store.js";
import { readSnapshot } from "./snapshot-check.js";

const SCHEMA_VERSION = 1;

/** The one table: a room's snapshot as JSON, by id (exported for bench/server/store-write-cost.ts). */
export const ROOMS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  snapshot TEXT NOT NULL,
  updated_at INTEGER NOT NULL
)`;
/** One room's write: its row replaced in place. */
export const UPSERT_ROOM_SQL =
  "INSERT INTO rooms (id, snapshot, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at";

/** The data file cannot be opened or set up: names the path, the cause and what to do. */
export class DataFileError extends ConfigError {
  override name = "DataFileError";
}

function dataFileError(path: string, err: unknown): DataFileError {
  const e = err as { code?: string; message?: string };
  const cause = e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
  if (e.code === "SQLITE_BUSY") {
    return new DataFileError(
      `Cannot use the data file ${resolve(path)} (${cause}): another process holds it — most likely another OpenSyncParty server.\n` +
        "  Fix: stop that server first, or give this one its own file with --data-file <path> (OSP_DATA_FILE).",
    );
  }
  return new DataFileError(
    `Cannot use the data file ${resolve(path)} (${cause}).\n` +
      `  Fix: make ${resolve(dirname(path))} writable by this user (and the file, if it exists), ` +
      "or choose another location with --data-file <path> (OSP_DATA_FILE), " +
      "or --data-file none to keep rooms in memory only (lost on restart).",
  );
}

export class SqliteRoomStore implements RoomStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly del: Database.Statement<[string]>;
  private readonly writeTx: (save: RoomSnapshot[], remove: string[]) => void;
  private closed = false;

  constructor(readonly path: string) {
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (err) {
      throw dataFileError(path, err);
    }
    try {
      this.prepareSchema();
    } catch (err) {
      this.db.close();
      throw dataFileError(path, err);
    }
    this.upsert = this.db.prepare(UPSERT_ROOM_SQL);
    this.del = this.db.prepare("DELETE FROM rooms WHERE id = ?");
    this.writeTx = this.db.transaction((save: RoomSnapshot[], remove: string[]) => {
      const now = Date.now();
      for (const room of save) this.upsert.run(room.id, JSON.stringify(room), now);
      for (const id of remove) this.del.run(id);
    });
  }

  private prepareSchema(): void {
    // Before WAL is switched on, so no shared-memory (-shm) index is ever made.
    this.db.pragma("locking_mode = EXCLUSIVE");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(ROOMS_TABLE_SQL);
    const version = this.db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`it was written by a newer OpenSyncParty (schema ${version} > ${SCHEMA_VERSION}); run that version or move the file away`);
    }
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  write(save: RoomSnapshot[], remove: string[]): void {
    if (save.length === 0 && remove.length === 0) return;
    this.writeTx(save, remove);
  }

  loadAll(onUnreadable?: (roomId: string, reason: string) => void): RoomSnapshot[] {
    const rows = this.db.prepare("SELECT id, snapshot FROM rooms").all() as Array<{ id: string; snapshot: unknown }>;
    const rooms: RoomSnapshot[] = [];
    for (const row of rows) {
      const read = typeof row.snapshot === "string" ? readSnapshot(row.snapshot) : { ok: false as const, reason: `stored as ${typeof row.snapshot}, not text` };
      if (read.ok && read.snapshot.id !== row.id) onUnreadable?.(row.id, `the snapshot names another room (${read.snapshot.id})`);
      else if (read.ok) rooms.push(read.snapshot);
      else onUnreadable?.(row.id, read.reason);
    }
    return rooms;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
