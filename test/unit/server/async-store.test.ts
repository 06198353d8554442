/**
 * The asynchronous durability path (RoomStore.write returning a promise, as
 * the Redis store does): replies and broadcasts a handler produced leave only
 * once its write settled, batches leave in the order they were produced,
 * other connections keep being handled meanwhile, a connection's next frame
 * waits, failures take the store-health path and fenced rooms reach
 * hub.onFenced. A synchronous store still delivers before receive() returns.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryRoomStore } from "../../../src/server/store/memory-store.js";
import { FencedError, type RoomSnapshot, type RoomStore } from "../../../src/server/store/room-store.js";
import { CoreHarness, settle } from "../../support/core-harness.js";

/** A store whose writes settle only when the test says so. */
class GateStore implements RoomStore {
  readonly writes: Array<{ save: string[]; remove: string[]; resolve: () => void; reject: (e: unknown) => void }> = [];
  write(save: RoomSnapshot[], remove: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writes.push({ save: save.map((s) => s.id), remove, resolve, reject });
    });
  }
  loadAll(): RoomSnapshot[] {
    return [];
  }
  close(): void {}
  /** Settles write `i` and lets the release run. */
  async resolve(i: number): Promise<void> {
    this.writes[i]!.resolve();
    await settle();
  }
}

/** A room whose write has gone through, with a host and a guest. */
async function party(h: CoreHarness, store: GateStore) {
  const host = h.connect();
  host.send("create_room", { name: "Room", start_pos: 0 });
  assert.equal(host.all("room_state").length, 0, "room_state waits for the write");
  await store.resolve(store.writes.length - 1);
  const roomId = host.last("room_state").room;
  const guest = h.connect();
  guest.send("join_room", {}, roomId);
  await store.resolve(store.writes.length - 1);
  guest.last("room_state");
  host.take();
  guest.take();
  return { host, guest, roomId };
}

test("an async write holds a handler's replies and broadcasts until it resolves", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const { host, guest, roomId } = await party(h, store);
  host.send("chat_message", { text: "one" }, roomId, { id: "m1" });
  assert.equal(store.writes.length, 3);
  await settle();
  assert.deepEqual(host.take(), [], "no ack before the write");
  assert.deepEqual(guest.take(), [], "no broadcast before the write");
  await store.resolve(2);
  assert.ok(host.take().some((f) => f.type === "ack"));
  assert.deepEqual(guest.take("chat_message").map((f) => f.payload.text), ["one"]);
});

test("batches leave in order: a later write resolving first does not overtake", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const { host, guest, roomId } = await party(h, store);
  const watcher = h.connect();
  watcher.send("join_room", {}, roomId);
  const joinWrite = store.writes.length - 1;
  await store.resolve(joinWrite);
  watcher.take();
  host.take();
  guest.take();
  host.send("chat_message", { text: "first" }, roomId);
  guest.send("chat_message", { text: "second" }, roomId); // another connection is handled meanwhile
  assert.equal(store.writes.length, joinWrite + 3, "both handlers ran and wrote");
  await store.resolve(joinWrite + 2);
  assert.deepEqual(watcher.take("chat_message"), [], "the later batch waits for the earlier one");
  await store.resolve(joinWrite + 1);
  assert.deepEqual(watcher.take("chat_message").map((f) => f.payload.text), ["first", "second"]);
});

test("a connection's next frame waits for its previous frame's write", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const { host, guest, roomId } = await party(h, store);
  const before = store.writes.length;
  host.send("chat_message", { text: "a" }, roomId);
  host.send("chat_message", { text: "b" }, roomId);
  await settle();
  assert.equal(store.writes.length, before + 1, "the second frame is queued, not handled");
  await store.resolve(before);
  assert.equal(store.writes.length, before + 2, "handled once the first batch left");
  await store.resolve(before + 1);
  assert.deepEqual(guest.take("chat_message").map((f) => f.payload.text), ["a", "b"]);
});

test("frames sent outside a handler queue behind a batch awaiting its write", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const { host, guest, roomId } = await party(h, store);
  const before = store.writes.length;
  host.send("chat_message", { text: "held" }, roomId, { id: "h1" });
  guest.disconnect(); // a seed client leaves: client_left to the host is sent at once, outside any handler batch
  await settle();
  assert.equal(host.take("client_left").length, 0, "client_left waits behind the chat ack");
  await store.resolve(before);
  const order = host.take().map((f) => f.type);
  assert.ok(order.includes("ack") && order.includes("client_left"), order.join(","));
  assert.ok(order.indexOf("ack") < order.indexOf("client_left"), `ack before client_left: ${order.join(",")}`);
});

test("a failed async write takes the store-health path, releases the replies and is retried", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({ persistIntervalMs: 500 }, store);
  const { host, guest, roomId } = await party(h, store);
  const before = store.writes.length;
  host.send("chat_message", { text: "x" }, roomId);
  store.writes[before]!.reject(new Error("redis down"));
  await settle();
  assert.equal(h.hub.storeHealth.ok, false);
  assert.match(h.hub.storeHealth.lastError ?? "", /redis down/);
  assert.deepEqual(guest.take("chat_message").map((f) => f.payload.text), ["x"], "released after the failure, as with a sync store");
  h.clock.advance(500);
  assert.equal(store.writes.length, before + 2, "the room was written again by the persist timer");
  assert.deepEqual(store.writes[before + 1]!.save, [roomId]);
  await store.resolve(before + 1);
  assert.equal(h.hub.storeHealth.ok, true);
});

test("FencedError: the rooms go to hub.onFenced, the store counts as healthy", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const fenced: string[][] = [];
  h.hub.onFenced = (rooms) => fenced.push([...rooms]);
  const { host, roomId } = await party(h, store);
  host.send("chat_message", { text: "x" }, roomId);
  store.writes.at(-1)!.reject(new FencedError([roomId]));
  await settle();
  assert.deepEqual(fenced, [[roomId]]);
  assert.equal(h.hub.storeHealth.ok, true);
});

test("writesSettled resolves once every async write has settled", { timeout: 10_000 }, async () => {
  const store = new GateStore();
  const h = new CoreHarness({}, store);
  const host = h.connect();
  host.send("create_room", { name: "Room", start_pos: 0 });
  let done = false;
  const settled = h.hub.writesSettled().then(() => {
    done = true;
  });
  await settle();
  assert.equal(done, false);
  await store.resolve(0);
  await settled;
  assert.equal(done, true);
});

test("a synchronous store delivers before receive() returns (no promise on that path)", { timeout: 10_000 }, () => {
  const h = new CoreHarness({}, new MemoryRoomStore());
  const { host, roomId } = h.createRoom();
  host.take();
  host.send("chat_message", { text: "now" }, roomId, { id: "k" });
  assert.deepEqual(host.take().map((f) => f.type), ["chat_message", "ack"]);
});
