/**
 * A damaged row in the data file costs that room only: a restarted server
 * still starts, restores every readable room, leaves the damaged rows in the
 * file, and logs each one with its id and what is wrong.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import pino from "pino";
import { createServer } from "../../src/server/index.js";
import { TestClient } from "../support/ws-client.js";

const DAMAGED: Array<[string, unknown]> = [
  ["not-json", "{"],
  ["empty-object", "{}"],
  ["null", "null"],
  ["array", "[]"],
  ["string", '"room"'],
  ["member-without-fields", JSON.stringify({ id: "member-without-fields", members: [{}] })],
  ["no-timeline", null], // filled below from a real snapshot with timeline: null
  ["other-id", null], // a real snapshot stored under another room's id
  ["blob", Buffer.from([0xff, 0x00])],
];

test("a restarted server restores the readable rooms and reports each damaged row by id", { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-damaged-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataFile = join(dir, "rooms.db");
  const first = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent", dataFile });
  await first.listen();
  const host = await TestClient.connect(t, first.url);
  host.send("hello", { display_name: "Ana" });
  host.send("create_room", { name: "Good room", start_pos: 12 }, "", { id: "c" });
  const { room } = await host.next("room_state");
  host.send("chat_message", { text: "kept" }, room, { id: "m" });
  await host.next("ack", (m) => m.payload.id === "m");
  await first.close();

  const db = new Database(dataFile);
  const good = JSON.parse((db.prepare("SELECT snapshot FROM rooms WHERE id = ?").get(room) as { snapshot: string }).snapshot);
  const insert = db.prepare("INSERT INTO rooms (id, snapshot, updated_at) VALUES (?, ?, 0)");
  for (const [id, value] of DAMAGED) {
    const snapshot =
      id === "no-timeline" ? JSON.stringify({ ...good, id, timeline: null }) : id === "other-id" ? JSON.stringify(good) : value;
    insert.run(id, snapshot);
  }
  db.close();

  const lines: Array<{ level: number; room?: string; reason?: string; msg: string }> = [];
  const logger = pino({ level: "info" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  const second = createServer({ port: 0, host: "127.0.0.1", logger, dataFile });
  await second.listen();
  t.after(() => second.close()); // idempotent: also closed below, before the file is read

  const restored = second.core.hub.rooms.get(room);
  assert.ok(restored, "the readable room is restored");
  assert.deepEqual(restored.chat.map((c) => c.text), ["kept"]);
  assert.equal(restored.timeline.position, 12);
  assert.equal(second.core.hub.rooms.size, 1, "no damaged row became a room");

  const reported = lines.filter((l) => l.level === 50 && l.room !== undefined);
  assert.deepEqual(reported.map((l) => l.room).sort(), DAMAGED.map(([id]) => id).sort(), "every damaged row is reported by its id");
  for (const l of reported) assert.ok(l.reason && l.reason.length > 0, `a reason for ${l.room}`);
  assert.match(reported.find((l) => l.room === "no-timeline")!.reason!, /timeline/);

  const client = await TestClient.connect(t, second.url);
  client.send("room_info", {}, room, { id: "i" });
  const info = await client.next("room_info");
  assert.equal(info.payload.name, "Good room", "the server keeps serving");

  // The damaged rows are left in the file for whoever wants to look at them.
  await second.close();
  const after = new Database(dataFile, { readonly: true, fileMustExist: true });
  t.after(() => after.close());
  const ids = (after.prepare("SELECT id FROM rooms").all() as Array<{ id: string }>).map((r) => r.id).sort();
  assert.deepEqual(ids, [room, ...DAMAGED.map(([id]) => id)].sort());
});
