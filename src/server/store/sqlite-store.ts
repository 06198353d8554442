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
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { ConfigError } from "../config.js";
import { DataDirError, ensureDir, notWritable } from "./data-dir.js";
import { FileIdentity } from "./file-identity.js";
import { type RoomSnapshot, type RoomStore, StoreReopenedError } from "./room-store.js";
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

/** The node error's text without its leading code (`EEXIST: EEXIST: …` was printed). */
function causeOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = String(e.message ?? err);
  return e.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
}

const ELSEWHERE =
  "or choose another location with --data-file <path> (OSP_DATA_FILE), " +
  "or --data-file none to keep rooms in memory only (lost on restart).";

function dataFileError(path: string, err: unknown): DataFileError {
  const e = err as { code?: string; message?: string };
  if (err instanceof DataDirError) {
    return new DataFileError(`Cannot use the data file ${resolve(path)}: ${err.message}.\n  Fix: ${err.fix}, ${ELSEWHERE}`);
  }
  if (e.code === "SQLITE_BUSY") {
    return new DataFileError(
      `Cannot use the data file ${resolve(path)} (${causeOf(err)}): another process holds it — most likely another OpenSyncParty server.\n` +
        "  Fix: stop that server first, or give this one its own file with --data-file <path> (OSP_DATA_FILE).",
    );
  }
  if (isDiskFull(err)) {
    // The rooms in the file are fine: the advice must not be to move it away.
    return new DataFileError(
      `Cannot use the data file ${resolve(path)} (${causeOf(err)}): the disk holding it is full.\n` +
        `  Fix: free space on the disk holding ${dirname(resolve(path))}${existsSync(path) ? " (the rooms in the file are kept: do not move it away)" : ""}; ${ELSEWHERE}`,
    );
  }
  if (path !== ":memory:" && isDirectory(path)) {
    return new DataFileError(`Cannot use the data file ${resolve(path)}: it is a directory.\n  Fix: give a file path inside it (e.g. ${join(resolve(path), "opensyncparty.db")}), ${ELSEWHERE}`);
  }
  const culprit = path === ":memory:" ? null : notWritable(path);
  const fix = culprit
    ? `make ${culprit} writable by this user, `
    : `check that ${resolve(path)} is an SQLite file this user may write (or move it away), `;
  return new DataFileError(`Cannot use the data file ${resolve(path)} (${causeOf(err)}).\n  Fix: ${fix}${ELSEWHERE}`);
}

/** SQLite's "database or disk is full", or the file system's no space / quota exceeded. */
export function isDiskFull(err: unknown): boolean {
  const c = (err as { code?: string }).code;
  return c === "SQLITE_FULL" || c === "ENOSPC" || c === "EDQUOT";
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * How long opening waits for a lock another process holds, ms: that is
 * another server on the same file (it keeps an exclusive lock for its
 * lifetime), so waiting SQLite's usual 5 s only delayed the answer. Once
 * open, the store's normal busy timeout (BUSY_TIMEOUT_MS) applies.
 */
export const LOCK_CHECK_TIMEOUT_MS = 250;
/** better-sqlite3's default busy timeout, kept for everything after opening. */
export const BUSY_TIMEOUT_MS = 5_000;

export class SqliteRoomStore implements RoomStore {
  private db!: Database.Database;
  private upsert!: Database.Statement<[string, string, number]>;
  private del!: Database.Statement<[string]>;
  private writeTx!: (save: RoomSnapshot[], remove: string[]) => void;
  private closed = false;
  /** The data file and its write-ahead log as opened: checked before each write (file-identity.ts). */
  private file!: FileIdentity;
  private log!: FileIdentity;
  /** Why the file could not be opened again after it went away; the next write tries again. */
  private unopened: string | null = null;

  constructor(readonly path: string) {
    this.open();
  }

  /** Opens (or creates) the file at `path` and prepares the statements; throws DataFileError naming the path and the fix. */
  private open(): void {
    try {
      if (this.path !== ":memory:") ensureDir(dirname(this.path));
      this.db = new Database(this.path, { timeout: LOCK_CHECK_TIMEOUT_MS });
    } catch (err) {
      throw dataFileError(this.path, err);
    }
    try {
      this.prepareSchema();
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    } catch (err) {
      this.db.close();
      throw dataFileError(this.path, err);
    }
    this.upsert = this.db.prepare(UPSERT_ROOM_SQL);
    this.del = this.db.prepare("DELETE FROM rooms WHERE id = ?");
    this.writeTx = this.db.transaction((save: RoomSnapshot[], remove: string[]) => {
      const now = Date.now();
      for (const room of save) this.upsert.run(room.id, JSON.stringify(room), now);
      for (const id of remove) this.del.run(id);
    });
    this.file = new FileIdentity(this.path);
    this.log = new FileIdentity(`${this.path}-wal`);
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
    this.verify();
    this.writeTx(save, remove);
    this.log.note();
  }

  /**
   * Throws StoreReopenedError after opening a new file at the path when the
   * one opened was deleted or replaced (or its write-ahead log was: closing
   * first folds what the log held into the file, if the file is still
   * there); a DataFileError when that cannot be opened (another server holds
   * the new file).
   */
  verify(): void {
    if (this.path === ":memory:" || this.closed) return;
    const why = this.unopened ?? this.file.change() ?? this.log.change();
    if (why === null) return;
    if (this.unopened === null) {
      try {
        this.db.close();
      } catch {
        // already unusable: opening again is what matters
      }
    }
    try {
      this.open();
    } catch (err) {
      this.unopened = why;
      throw new DataFileError(`${why} while the server ran, and opening it again failed: ${(err as Error).message}`);
    }
    this.unopened = null;
    throw new StoreReopenedError(`${why} while the server ran; opened ${resolve(this.path)} again`);
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
    if (this.unopened === null) this.db.close();
  }
}
