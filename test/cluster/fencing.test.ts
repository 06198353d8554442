/**
 * Two instances never both apply a room's commands. Here the owner A is
 * overtaken as it would be after a pause longer than its heartbeat TTL
 * (GC, a partition): another instance C holds the room under a newer
 * epoch while A still runs it. A's next change is refused by the fenced
 * store write: A drops the room without anyone seeing that change, and
 * every member's socket moves to C, where the room goes on.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { Redis } from "ioredis";
import type { RoomLocator } from "../../src/server/cluster/room-locator.js";
import type { ClusterRouter } from "../../src/server/cluster/router.js";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

/** A room at A with a host (at A) and a guest (at B) and one chat line; then C takes it over under a newer epoch while A still runs it. */
async function overtakenRoom(t: TestContext) {
  const redis = await startRedis(t);
  const prefix = uniquePrefix();
  const [a, b, c] = await startInProcessCluster(t, 3, redis.url, prefix);
  const host = await TestClient.connect(t, a!.url);
  host.send("hello", { display_name: "Host" });
  host.send("create_room", { name: "Fenced", start_pos: 0 });
  const { room } = await host.next("room_state");
  const guest = await TestClient.connect(t, b!.url);
  guest.send("hello", { display_name: "Guest" });
  guest.send("join_room", {}, room, { id: "j" });
  await guest.next("ack", (m) => m.payload.id === "j");
  host.send("chat_message", { text: "kept" }, room, { id: "m1" });
  await host.next("ack", (m) => m.payload.id === "m1");

  // C takes the room over (as after A's heartbeat key expired): it claims it under a newer epoch and restores it.
  const raw = new Redis(redis.url);
  t.after(() => raw.disconnect());
  await raw.set(`${prefix}owner:${room}`, c!.cluster!.instanceId);
  const where = await (c!.core.hub.cluster as ClusterRouter).locate(room);
  assert.equal(where, "here");
  assert.ok(a!.core.hub.rooms.has(room), "A still believes it owns the room");
  return { a: a!, c: c!, host, guest, room };
}

test("a fenced-out owner drops the room; its members move to the new owner", { timeout: 60_000 }, async (t) => {
  const { a, c, host, guest, room } = await overtakenRoom(t);

  // A applies a change; its store write is fenced: nobody sees it, A drops the room.
  host.send("chat_message", { text: "from a stale owner" }, room, { id: "m2" });
  const states = await Promise.all([host, guest].map((cl) => cl.next("room_state", () => true, 10_000)));
  assert.ok(!a.core.hub.rooms.has(room), "A dropped the room");
  assert.ok(c.core.hub.rooms.has(room));
  for (const st of states) {
    assert.deepEqual(
      st.payload.chat.map((x: { text: string }) => x.text),
      ["kept"],
    );
  }
  assert.equal(host.all("chat_message").filter((m) => m.payload.text === "from a stale owner").length, 0);
  assert.equal(guest.all("chat_message").filter((m) => m.payload.text === "from a stale owner").length, 0);

  // The room goes on at C for both, with the same members and host.
  assert.equal(states[0]!.payload.host_id, host.clientId);
  host.send("chat_message", { text: "at the new owner" }, room, { id: "m3" });
  await host.next("ack", (m) => m.payload.id === "m3", 10_000);
  await guest.next("chat_message", (m) => m.payload.text === "at the new owner");
  assert.equal(c.core.hub.rooms.get(room)!.chat.length, 2);
});

test("a socket of a dropped room whose first look for the new owner fails looks again, and what it sent meanwhile arrives", { timeout: 60_000 }, async (t) => {
  const { a, c, host, guest, room } = await overtakenRoom(t);
  // A's next lookup fails as when Redis times out; the one after works.
  const locator = (a.core.hub.cluster as unknown as { d: { locator: RoomLocator } }).d.locator;
  const real = locator.locate.bind(locator);
  let failed = 0;
  locator.locate = (id) => (failed++ === 0 ? Promise.reject(new Error("Command timed out")) : real(id));

  host.send("chat_message", { text: "from a stale owner" }, room, { id: "m2" });
  await waitFor(() => failed === 1 && !a.core.hub.rooms.has(room), "A to drop the room and its first look to fail", 10_000);
  // Sent while the host's socket (still at A) has no home: it waits there, in order, for the new owner.
  host.send("chat_message", { text: "at the new owner" }, room, { id: "m3" });
  const states = await Promise.all([host, guest].map((cl) => cl.next("room_state", () => true, 15_000)));
  assert.ok(failed >= 2, `A looked for the room's owner ${failed} time(s); the failed look must be retried`);
  for (const st of states) assert.equal(st.payload.host_id, host.clientId);
  await host.next("ack", (m) => m.payload.id === "m3", 10_000);
  await guest.next("chat_message", (m) => m.payload.text === "at the new owner");
  assert.deepEqual(
    c.core.hub.rooms.get(room)!.chat.map((x) => x.text),
    ["kept", "at the new owner"],
  );
});
