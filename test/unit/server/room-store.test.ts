/** One contract, every RoomStore implementation. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Redis } from "ioredis";
import { MemoryRoomStore } from "../../../src/server/store/memory-store.js";
import type { RoomSnapshot, RoomStore } from "../../../src/server/store/room-store.js";
import { RedisRoomStore } from "../../../src/server/store/redis-store.js";
import { SqliteRoomStore } from "../../../src/server/store/sqlite-store.js";
import { type RedisHandle, startRedis, uniquePrefix } from "../../support/redis.js";

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

/** One real redis-server for the Redis store's runs in this file. */
let redis: Promise<RedisHandle> | null = null;
const redisClients: Redis[] = [];
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of redisClients) c.disconnect();
  for (const f of cleanups) await f();
});
async function redisClient(): Promise<Redis> {
  redis ??= startRedis({ after: (fn: () => unknown) => cleanups.push(fn) });
  const c = new Redis((await redis).url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50 });
  c.on("error", () => {});
  redisClients.push(c);
  return c;
}
async function connected(c: Redis): Promise<Redis> {
  if (c.status !== "ready") await new Promise((r) => c.once("ready", r));
  return c;
}

const implementations: Array<[string, () => Promise<RoomStore>]> = [
  ["MemoryRoomStore", async () => new MemoryRoomStore()],
  ["SqliteRoomStore", async () => new SqliteRoomStore(tempFile())],
  ["RedisRoomStore", async () => new RedisRoomStore({ redis: await connected(await redisClient()), prefix: uniquePrefix() })],
];

/** Every stored room, sorted by id: loadAll() where the store loads at start-up, load(id) where it loads on claim. */
async function readAll(store: RoomStore, ids: string[]): Promise<RoomSnapshot[]> {
  const all = store.load
    ? (await Promise.all(ids.map((id) => store.load!(id)))).filter((r): r is RoomSnapshot => r !== null)
    : store.loadAll();
  return all.sort((x, y) => x.id.localeCompare(y.id));
}

for (const [name, make] of implementations) {
  describe(`${name} contract`, { timeout: 30_000 }, () => {
    test("writes, reads back equal snapshots, updates and removes", { timeout: 30_000 }, async () => {
      const store = await make();
      const ids = ["a", "b", "never-existed"];
      await store.write([snapshot("a"), snapshot("b")], []);
      assert.deepEqual(await readAll(store, ids), [snapshot("a"), snapshot("b")]);
      await store.write([snapshot("a", { name: "Renamed" })], ["b"]);
      assert.deepEqual(await readAll(store, ids), [snapshot("a", { name: "Renamed" })]);
      await store.write([], ["a", "never-existed"]);
      assert.deepEqual(await readAll(store, ids), []);
      store.close();
      store.close(); // idempotent
    });

    test("returned snapshots are copies: changing them does not change the store", { timeout: 30_000 }, async () => {
      const store = await make();
      await store.write([snapshot("a")], []);
      const [loaded] = await readAll(store, ["a"]);
      loaded!.chat.push({ id: "y", client_id: "z", name: "z", text: "z", server_ts: 0 });
      assert.equal((await readAll(store, ["a"]))[0]!.chat.length, 1);
      store.close();
    });

    test("a seed member (extended: false) and a password hash come back as written", { timeout: 30_000 }, async () => {
      const store = await make();
      const seed = { id: "c_seed", name: "Bo", resumeToken: "tok2", joinedAt: 2, userId: null, canCreate: true, canJoin: true, extended: false };
      const snap = snapshot("a", { passwordHash: "salt:hash" });
      snap.members.push(seed);
      await store.write([snap], []);
      assert.deepEqual(await readAll(store, ["a"]), [snap]);
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
