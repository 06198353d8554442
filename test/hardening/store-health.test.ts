/**
 * Storage failures are visible and heal: with the data location full,
 * /health turns 503 with the reason and /metrics counts the failures, the
 * failure is logged once, the party goes on; once there is room again the
 * pending rooms are written and /health is 200. A shutdown whose final
 * write failed exits non-zero, and a data file in a read-only place stops
 * start-up with a message naming the path and the fix.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { startServe } from "../support/serve-process.js";
import { type TinyDisk, mountTinyDisk } from "../support/tiny-disk.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

function diskOrSkip(t: TestContext): TinyDisk | null {
  const disk = mountTinyDisk(t, 512);
  if (disk) return disk;
  if (process.env.CI === "true") throw new Error("cannot mount a tmpfs (these tests need root); CI must run them");
  t.skip("cannot mount a tmpfs (needs root)");
  return null;
}

const health = async (httpUrl: string) => {
  const r = await fetch(`${httpUrl}/health`);
  return { status: r.status, body: (await r.json()) as { status: string; store: { ok: boolean; reason?: string; write_failures_total: number } } };
};
const metric = async (httpUrl: string, name: string) => {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
};

test("a full data location turns /health 503 with the reason, counts failures, and recovers by itself", { timeout: 120_000 }, async (t) => {
  const disk = diskOrSkip(t);
  if (!disk) return;
  const server = await startServe(t, ["--data-file", join(disk.dir, "rooms.db"), "--max-chat-length", "1000"]);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Ana" });
  host.send("create_room", { name: "Full disk" });
  const roomId = (await host.next("room_state", () => true, 15_000)).room;
  assert.equal((await health(server.httpUrl)).status, 200);

  disk.fill();
  // Chat until a write needs space the disk no longer has; the party carries on meanwhile.
  let i = 0;
  await waitFor(
    async () => {
      host.send("chat_message", { text: `${i++} ${"x".repeat(990)}` }, roomId, { id: i });
      await host.next("ack", (m) => m.payload.id === i, 15_000);
      return (await health(server.httpUrl)).status === 503;
    },
    "/health to turn 503 on the full disk",
    60_000,
  );
  const failing = await health(server.httpUrl);
  assert.equal(failing.body.status, "store_failing");
  assert.equal(failing.body.store.ok, false);
  assert.match(failing.body.store.reason ?? "", /SQLITE_FULL|full/i, "the reason says the disk is full");
  assert.ok((await metric(server.httpUrl, "opensyncparty_store_write_failures_total")) >= 1);
  assert.equal(await metric(server.httpUrl, "opensyncparty_store_ok"), 0);
  // More failing writes do not log again.
  for (let k = 0; k < 3; k++) {
    host.send("chat_message", { text: `still full ${k}` }, roomId, { id: `f${k}` });
    await host.next("ack", (m) => m.payload.id === `f${k}`, 15_000);
  }

  disk.free();
  await waitFor(async () => (await health(server.httpUrl)).status === 200, "/health back to 200 once there is room", 30_000);
  assert.equal(await metric(server.httpUrl, "opensyncparty_store_ok"), 1);
  // /health can answer before the log line written at the same moment has come through the pipe.
  await waitFor(() => server.logs.some((l) => String(l.msg).startsWith("room store writes again")), "the recovery log line", 15_000);
  const failed = server.logs.filter((l) => String(l.msg).startsWith("room store write failed"));
  const recovered = server.logs.filter((l) => String(l.msg).startsWith("room store writes again"));
  assert.equal(failed.length, 1, "the failure was logged once");
  assert.equal(recovered.length, 1, "the recovery was logged once");
  assert.equal(host.closeCode, null, "the party went on");
});

test("a shutdown whose final write failed exits non-zero", { timeout: 120_000 }, async (t) => {
  const disk = diskOrSkip(t);
  if (!disk) return;
  const server = await startServe(t, ["--data-file", join(disk.dir, "rooms.db")]);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Ana" });
  host.send("create_room", { name: "Last words" });
  const roomId = (await host.next("room_state", () => true, 15_000)).room;
  disk.fill();
  let i = 0;
  await waitFor(
    async () => {
      host.send("chat_message", { text: `${i++} ${"y".repeat(990)}` }, roomId, { id: i });
      await host.next("ack", (m) => m.payload.id === i, 15_000);
      return (await health(server.httpUrl)).status === 503;
    },
    "the store to fail",
    60_000,
  );
  server.child.kill("SIGTERM");
  assert.equal(await server.exited, 1, "exit code 1: the final write failed");
  assert.ok(server.logs.some((l) => String(l.msg).includes("final room store write failed")));
});

test("a full disk at start-up is named as such, and the advice keeps the rooms (no 'move it away')", { timeout: 90_000 }, async (t) => {
  const disk = diskOrSkip(t);
  if (!disk) return;
  const path = join(disk.dir, "rooms.db");
  const first = await startServe(t, ["--data-file", path]);
  first.child.kill("SIGTERM");
  assert.equal(await first.exited, 0);
  disk.fill();
  // A cleanly stopped file has no write-ahead log; opening it needs a new one, on a disk with no room.
  await assert.rejects(startServe(t, ["--data-file", path]), (err: Error) => {
    assert.match(err.message, /exited \(2\)/);
    assert.ok(err.message.includes(path), `names ${path}: ${err.message}`);
    assert.match(err.message, /disk holding it is full/);
    assert.match(err.message, /free space on the disk/);
    assert.doesNotMatch(err.message, /or move it away/, "moving the file away would lose its rooms");
    assert.match(err.message, /do not move it away/);
    return true;
  });
});

test("no inodes left for the data folder: named as a full disk, not as a permissions problem", { timeout: 60_000 }, async (t) => {
  const disk = mountTinyDisk(t, 512, { inodes: 2 });
  if (!disk) {
    if (process.env.CI === "true") throw new Error("cannot mount a tmpfs (these tests need root); CI must run them");
    return t.skip("cannot mount a tmpfs (needs root)");
  }
  disk.fill(); // the filler takes the last inode
  await assert.rejects(startServe(t, ["--data-file", join(disk.dir, "data", "rooms.db")]), (err: Error) => {
    assert.match(err.message, /exited \(2\)/);
    assert.match(err.message, /is full \(ENOSPC\)/);
    assert.match(err.message, /free space \(or inodes\)/);
    assert.doesNotMatch(err.message, /writable/);
    return true;
  });
});

test("the JSON log's listening line names the store and the data file's full path (the default depends on the folder)", { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-store-name-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const listening = (s: { logs: Array<Record<string, unknown>> }) => s.logs.find((l) => l.msg === "OpenSyncParty listening");
  const sqlite = await startServe(t, ["--data-file", join(dir, "rooms.db")]);
  assert.equal(listening(sqlite)?.store, "sqlite");
  assert.equal(listening(sqlite)?.data_file, join(dir, "rooms.db"));
  const memory = await startServe(t, ["--data-file", "none"]);
  assert.equal(listening(memory)?.store, "memory");
  assert.equal(listening(memory)?.data_file, undefined);
});

test("a data file in a read-only place stops start-up naming the path and the fix", { timeout: 60_000 }, async (t) => {
  const disk = diskOrSkip(t);
  if (!disk) return;
  mkdirSync(join(disk.dir, "data"));
  disk.remount("ro");
  const path = join(disk.dir, "data", "rooms.db");
  await assert.rejects(startServe(t, ["--data-file", path]), (err: Error) => {
    assert.match(err.message, /exited \(2\)/);
    assert.ok(err.message.includes(path), `names ${path}: ${err.message}`);
    assert.match(err.message, /--data-file/);
    assert.doesNotMatch(err.message, /at new Database|SqliteError: unable/, "no raw stack");
    return true;
  });
});

test("a second server on a data file another one holds stops start-up naming the path and the fix; the first keeps its rooms", { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-held-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "rooms.db");
  const first = await startServe(t, ["--data-file", path]);
  const host = await TestClient.connect(t, first.url);
  host.send("create_room", { name: "Mine" });
  const roomId = (await host.next("room_state", () => true, 15_000)).room;
  await assert.rejects(startServe(t, ["--data-file", path], 60_000), (err: Error) => {
    assert.match(err.message, /exited \(2\)/);
    assert.ok(err.message.includes(path), `names ${path}: ${err.message}`);
    assert.match(err.message, /another process holds it/);
    assert.match(err.message, /--data-file/);
    assert.doesNotMatch(err.message, /at new Database|SqliteError/, "no raw stack");
    return true;
  });
  // The first server still writes: a command is acknowledged after its write, and its room survives a restart.
  host.send("chat_message", { text: "still here" }, roomId, { id: 7 });
  await host.next("ack", (m) => m.payload.id === 7, 15_000);
  first.child.kill("SIGTERM");
  assert.equal(await first.exited, 0);
  const again = await startServe(t, ["--data-file", path]);
  const back = await TestClient.connect(t, again.url);
  back.send("list_rooms", {});
  const list = await back.next("room_list", (m) => (m.payload as Array<{ id: string }>).some((r) => r.id === roomId), 15_000);
  assert.ok(list);
});

test("a missing data folder in a read-only place names the read-only parent, not the folder to be made", { timeout: 60_000 }, async (t) => {
  const disk = diskOrSkip(t);
  if (!disk) return;
  disk.remount("ro");
  const path = join(disk.dir, "data", "rooms.db");
  await assert.rejects(startServe(t, ["--data-file", path]), (err: Error) => {
    assert.match(err.message, /exited \(2\)/);
    assert.ok(err.message.includes(`make ${disk.dir} writable`), `names the parent ${disk.dir}: ${err.message}`);
    assert.ok(!err.message.includes(`make ${join(disk.dir, "data")} writable`), "not the folder that does not exist");
    assert.doesNotMatch(err.message, /(\b[A-Z]{4,}): \1:/, "the error code once");
    return true;
  });
});
