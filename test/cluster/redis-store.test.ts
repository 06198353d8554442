/**
 * RedisRoomStore beyond the shared RoomStore contract, on a real
 * redis-server: fenced writes, resume index, lobby hash + channel, recovery
 * after Redis restarts empty, fast failure while Redis is down, and the core
 * handing out a reply only once its room is in Redis.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { Redis } from "ioredis";
import { FencedError, type LobbyEntry, RedisRoomStore } from "../../src/server/store/redis-store.js";
import type { RoomSnapshot } from "../../src/server/store/room-store.js";
import { CoreHarness } from "../support/core-harness.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";

function snapshot(id: string, members: Array<[string, string]> = [["c_host", "tok-host"]], over: Partial<RoomSnapshot> = {}): RoomSnapshot {
  return {
    id,
    name: `Room ${id}`,
    hostId: members[0]?.[0] ?? "",
    timeline: { position: 1, play_state: "paused", rate: 1, anchor_server_ts: 1_700_000_000_000 },
    settings: { shared_control: false, buffering_policy: "wait", wait_timeout_ms: 8000 },
    media: { url: null, id: null, title: "clip.mp4" },
    isPrivate: false,
    createdAt: 1_700_000_000_000,
    chat: [],
    members: members.map(([mid, token], i) => ({ id: mid, name: `N${i}`, resumeToken: token, joinedAt: i, userId: null, canCreate: true, canJoin: true })),
    ...over,
  };
}

async function client(t: TestContext, url: string): Promise<Redis> {
  const c = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50 });
  c.on("error", () => {});
  t.after(() => c.disconnect());
  if (c.status !== "ready") await new Promise((r) => c.once("ready", r));
  return c;
}

test("fenced writes: a room another instance claimed is refused, the rest of the batch is written", { timeout: 30_000 }, async (t) => {
  const r = await startRedis(t);
  const c = await client(t, r.url);
  const prefix = uniquePrefix();
  const claims = new Map([
    ["a", { instance: "i1", epoch: 1 }],
    ["b", { instance: "i1", epoch: 1 }],
  ]);
  const store = new RedisRoomStore({ redis: c, prefix, fence: (id) => claims.get(id) ?? null });
  await c.mset(`${prefix}owner:a`, "i1", `${prefix}epoch:a`, "1", `${prefix}owner:b`, "i1", `${prefix}epoch:b`, "1");
  await store.write([snapshot("a"), snapshot("b")], []);
  assert.ok(await store.load("a"));
  // Another instance claims b: owner i2, epoch 2.
  await c.mset(`${prefix}owner:b`, "i2", `${prefix}epoch:b`, "2");
  const err = await store.write([snapshot("a", undefined, { name: "A2" }), snapshot("b", undefined, { name: "B2" })], []).catch((e: unknown) => e);
  assert.ok(err instanceof FencedError, `expected FencedError, got ${String(err)}`);
  assert.deepEqual(err.rooms, ["b"]);
  assert.equal((await store.load("a"))?.name, "A2", "the owned room of the batch was written");
  assert.equal((await store.load("b"))?.name, "Room b", "the fenced room was not");
  // Same owner id but an older epoch (this instance lost and re-won the room elsewhere): refused too.
  await c.mset(`${prefix}owner:b`, "i1", `${prefix}epoch:b`, "3");
  await assert.rejects(store.write([snapshot("b")], []), FencedError);
  // No claim at all: refused without writing.
  await assert.rejects(store.write([snapshot("z")], []), (e: unknown) => e instanceof FencedError && e.rooms[0] === "z");
  assert.equal(await store.load("z"), null);
  // Removing a room deletes its owner key; the epoch stays (with a TTL) so it only ever grows.
  await store.write([], ["a"]);
  assert.equal(await c.get(`${prefix}owner:a`), null);
  assert.equal(await c.get(`${prefix}epoch:a`), "1");
  assert.ok((await c.ttl(`${prefix}epoch:a`)) > 0);
});

test("resume index: tokens are written with the room, dropped with the member and with the room", { timeout: 30_000 }, async (t) => {
  const r = await startRedis(t);
  const c = await client(t, r.url);
  const store = new RedisRoomStore({ redis: c, prefix: uniquePrefix() });
  await store.write([snapshot("a", [["c1", "t1"], ["c2", "t2"]])], []);
  assert.deepEqual(await store.findResume("t2"), { client: "c2", room: "a" });
  await store.write([snapshot("a", [["c1", "t1"]])], []);
  assert.equal(await store.findResume("t2"), null, "a member who left cannot be found by token");
  assert.deepEqual(await store.findResume("t1"), { client: "c1", room: "a" });
  // A second instance that loaded the room (new owner after failover) cleans up tokens it never wrote.
  const other = new RedisRoomStore({ redis: await client(t, r.url), prefix: (store as unknown as { prefix: string }).prefix });
  await other.load("a");
  await other.write([], ["a"]);
  assert.equal(await store.findResume("t1"), null);
  assert.equal(await store.findResume("never"), null);
});

test("lobby: entries in the hash, changes published once, removals published", { timeout: 30_000 }, async (t) => {
  const r = await startRedis(t);
  const c = await client(t, r.url);
  const sub = await client(t, r.url);
  const prefix = uniquePrefix();
  const messages: Array<{ upsert: LobbyEntry[]; remove: string[] }> = [];
  sub.on("message", (_ch: string, text: string) => messages.push(JSON.parse(text)));
  await sub.subscribe(`${prefix}lobby`);
  const store = new RedisRoomStore({ redis: c, prefix });
  const a = snapshot("a", [["c1", "t1"], ["c2", "t2"]], { passwordHash: "s:h", isPrivate: true });
  await store.write([a], []);
  await store.write([{ ...a, timeline: { ...a.timeline, position: 9 } }], []); // lobby entry unchanged: not republished
  await store.write([], ["a"]);
  await waitFor(() => messages.length >= 2, "two lobby messages");
  const entry: LobbyEntry = { id: "a", name: "Room a", count: 2, media_title: "clip.mp4", host_name: "N0", password: true, listed: false, created_at: 1_700_000_000_000 };
  assert.deepEqual(messages, [
    { upsert: [entry], remove: [] },
    { upsert: [], remove: ["a"] },
  ]);
  assert.deepEqual(await store.loadLobby(), []);
  await store.write([snapshot("b")], []);
  assert.deepEqual((await store.loadLobby()).map((e) => e.id), ["b"]);
});

test("Redis restarted empty: the next write of an unchanged room restores its lobby and resume entries", { timeout: 30_000 }, async (t) => {
  const r = await startRedis(t);
  const c = await client(t, r.url);
  const store = new RedisRoomStore({ redis: c, prefix: uniquePrefix() });
  await store.write([snapshot("a")], []);
  await r.stop();
  await assert.rejects(store.write([snapshot("a")], []), (e: unknown) => !(e instanceof FencedError), "fails fast while Redis is down");
  await r.start();
  await waitFor(() => c.status === "ready", "the client to reconnect", 15_000);
  await store.write([snapshot("a")], []);
  assert.deepEqual(await store.findResume("tok-host"), { client: "c_host", room: "a" });
  assert.deepEqual((await store.loadLobby()).map((e) => e.id), ["a"]);
});

test("the core hands out room_state and acks only once the room is in Redis", { timeout: 30_000 }, async (t) => {
  const r = await startRedis(t);
  const c = await client(t, r.url);
  const prefix = uniquePrefix();
  const h = new CoreHarness({}, new RedisRoomStore({ redis: c, prefix }));
  const host = h.connect();
  host.send("hello", { name: "Ana" });
  host.send("create_room", { name: "Durable", start_pos: 0 });
  const state = await waitFor(() => host.all("room_state")[0], "room_state");
  const stored = await c.get(`${prefix}room:${state.room}`);
  assert.ok(stored, "the snapshot was in Redis when room_state arrived");
  assert.equal(JSON.parse(stored).name, "Durable");
  host.send("chat_message", { text: "kept" }, state.room, { id: "m1" });
  await waitFor(() => host.all("ack").find((f) => f.payload.id === "m1"), "chat ack");
  const after = JSON.parse((await c.get(`${prefix}room:${state.room}`))!) as RoomSnapshot;
  assert.deepEqual(after.chat.map((e) => e.text), ["kept"], "the acknowledged chat line was stored first");
});
