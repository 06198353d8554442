/** New-user findings 8: data-file paths that hung start-up or gave a misleading fix. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DataDirError, ensureDir } from "../../../src/server/store/data-dir.js";
import { BUSY_TIMEOUT_MS, DataFileError, LOCK_CHECK_TIMEOUT_MS, SqliteRoomStore } from "../../../src/server/store/sqlite-store.js";

const tmp = () => mkdtempSync(join(tmpdir(), "osp-datadir-"));

test("missing folders are created level by level below the nearest existing one", { timeout: 30_000 }, (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  ensureDir(join(dir, "a", "b", "c"));
  assert.ok(existsSync(join(dir, "a", "b", "c")));
  ensureDir(join(dir, "a", "b", "c")); // already there: nothing to do
});

test("a folder under /proc fails at once with the folder that cannot be made (Node's recursive mkdir never returns)", { timeout: 30_000 }, () => {
  assert.throws(
    () => ensureDir("/proc/nope/deeper"),
    (e: Error) => e instanceof DataDirError && e.message.includes("/proc/nope") && e.culprit === "/proc",
  );
});

test("a path under a file says the file is a file, not that it should be writable", { timeout: 30_000 }, (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "plain");
  writeFileSync(file, "x");
  assert.throws(
    () => new SqliteRoomStore(join(file, "sub", "rooms.db")),
    (e: Error) => {
      assert.ok(e instanceof DataFileError);
      assert.match(e.message, new RegExp(`${file} is a file, not a directory`));
      assert.doesNotMatch(e.message, /make .* writable/);
      return true;
    },
  );
});

test("a directory given as the data file is named as such; no error code is printed twice", { timeout: 30_000 }, (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(
    () => new SqliteRoomStore(dir),
    (e: Error) => e instanceof DataFileError && /it is a directory/.test(e.message) && !/(\b[A-Z_]{4,}): \1:/.test(e.message),
  );
});

test("a second store on a held file is refused without SQLite's 5 s wait; the holder keeps the normal busy timeout", { timeout: 30_000 }, (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "rooms.db");
  const first = new SqliteRoomStore(path);
  t.after(() => first.close());
  first.write([{ id: "r1" } as never], []);
  assert.throws(() => new SqliteRoomStore(path), /another process holds it/);
  // How long the refusal takes is not asserted (no wall-clock asserts): the check waits LOCK_CHECK_TIMEOUT_MS, not SQLite's busy timeout.
  assert.ok(LOCK_CHECK_TIMEOUT_MS < BUSY_TIMEOUT_MS);
  const db = (first as unknown as { db: { pragma(s: string, o: object): unknown } }).db;
  assert.equal(db.pragma("busy_timeout", { simple: true }), BUSY_TIMEOUT_MS);
});
