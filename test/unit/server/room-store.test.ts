/** One contract, every RoomStore implementation. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { MemoryRoomStore } from "../../../src/server/store/memory-store.js";
import type { RoomSnapshot, RoomStore } from "../../../src/server/store/room-store.js";
import { SqliteRoomStore } from "../../../src/server/store/sqlite-store.js";

function snapshot(id: string, over: Partial<RoomSnapshot> = {}): RoomSnapshot {
  return {
    id,
    name: `Room ${id}`,
    hostId: "c_host",
    timeline: { position: 12.5, play_state: "playing", rate: 1, anchor_server_ts: 1_700_000_000_000 },
    settings: { shared_control: false, buffering_policy: "wait", wait_timeout_ms: 8000 },
    media: { url: "https://media.example/a.mp4", id: null, title: "a.mp4" },
    isPrivate: false,
    createdAt: 1_700_000_000_000,
    chat: [{ id: "x1", client_id: "c_host", name: "Ana", text: "hi <b>", server_ts: 1_700_000_000_500 }],
    members: [
      { id: "c_host", name: "Ana", resumeToken: "tok", joinedAt: 1, userId: null, canCreate: true, canJoin: true },
    ],
    ...over,
  };
}

const tempDirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "osp-store-"));
  tempDirs.push(dir);
  return join(dir, "rooms.db");
}

const implementations: Array<[string, () => RoomStore]> = [
  ["MemoryRoomStore", () => new MemoryRoomStore()],
  ["SqliteRoomStore", () => new SqliteRoomStore(tempFile())],
];

for (const [name, make] of implementations) {
  describe(`${name} contract`, { timeout: 30_000 }, () => {
    test("writes, reads back equal snapshots, updates and removes", { timeout: 30_000 }, () => {
      const store = make();
      store.write([snapshot("a"), snapshot("b")], []);
      assert.deepEqual(
        store.loadAll().sort((x, y) => x.id.localeCompare(y.id)),
        [snapshot("a"), snapshot("b")],
      );
      store.write([snapshot("a", { name: "Renamed" })], ["b"]);
      assert.deepEqual(store.loadAll(), [snapshot("a", { name: "Renamed" })]);
      store.write([], ["a", "never-existed"]);
      assert.deepEqual(store.loadAll(), []);
      store.close();
      store.close(); // idempotent
    });

    test("returned snapshots are copies: changing them does not change the store", { timeout: 30_000 }, () => {
      const store = make();
      store.write([snapshot("a")], []);
      const [loaded] = store.loadAll();
      loaded!.chat.push({ id: "y", client_id: "z", name: "z", text: "z", server_ts: 0 });
      assert.equal(store.loadAll()[0]!.chat.length, 1);
      store.close();
    });
  });
}

test("SqliteRoomStore keeps rooms across a reopen of the same file", { timeout: 30_000 }, () => {
  const file = tempFile();
  const first = new SqliteRoomStore(file);
  first.write([snapshot("a")], []);
  first.close();
  const second = new SqliteRoomStore(file);
  assert.deepEqual(second.loadAll(), [snapshot("a")]);
  second.close();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
