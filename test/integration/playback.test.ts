import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";
import { createRoom, joinRoom, party } from "./helpers.js";

test("the host's player_event reaches every other member with one target instant; the sender gets it in its ack", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 2);
  host.send("player_event", { action: "seek", position: 42 }, roomId, { id: 1 });
  const [a, b] = await Promise.all(guests.map((g) => g.next("player_event")));
  assert.equal(a!.payload.action, "seek");
  assert.equal(a!.payload.position, 42);
  assert.equal(a!.client, host.clientId);
  assert.equal(a!.payload.target_server_ts, b!.payload.target_server_ts);
  assert.ok(a!.payload.target_server_ts > a!.server_ts, "scheduled in the future");
  const ack = await host.next("ack", (m) => m.payload.id === 1);
  assert.equal(ack.payload.target_server_ts, a!.payload.target_server_ts);
  await host.flush();
  assert.equal(host.all("player_event").length, 0, "not relayed back to the sender");
});

test("a guest's player_event is refused with not_host; shared_control allows it", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  const g = guests[0]!;
  g.send("player_event", { action: "pause", position: 1 }, roomId, { id: "x" });
  const err = await g.error("not_host");
  assert.equal(err.payload.ref, "x");
  assert.equal(err.payload.type, "player_event");
  await host.flush();
  assert.equal(host.all("player_event").length, 0);
  host.send("room_settings", { shared_control: true }, roomId);
  await g.next("room_settings", (m) => m.payload.shared_control === true);
  g.send("player_event", { action: "pause", position: 1 }, roomId);
  const ev = await host.next("player_event");
  assert.equal(ev.payload.by, g.clientId);
});

test("shared_control can be set at creation", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Open", 0, { settings: { shared_control: true } });
  const g = await TestClient.connect(t, server.url);
  await joinRoom(g, roomId);
  g.send("player_event", { action: "play", position: 0 }, roomId);
  assert.equal((await host.next("player_event")).payload.action, "play");
});

test("state_update from the host updates the room and is relayed to the others", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  host.send("state_update", { position: 120, play_state: "paused" }, roomId);
  const up = await guests[0]!.next("state_update");
  assert.equal(up.payload.position, 120);
  assert.equal(up.payload.play_state, "paused");
  const late = await TestClient.connect(t, server.url);
  const st = await joinRoom(late, roomId);
  assert.equal(st.payload.state.position, 120);
});

test("transfer_host hands over control", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  const g = guests[0]!;
  host.send("transfer_host", { client_id: g.clientId }, roomId);
  const changed = await g.next("host_changed");
  assert.deepEqual(changed.payload, { host_id: g.clientId, previous_host_id: host.clientId, reason: "transfer" });
  host.send("player_event", { action: "play", position: 0 }, roomId);
  await host.error("not_host");
  g.send("player_event", { action: "play", position: 0 }, roomId);
  await host.next("player_event");
});

test("a message with an id is answered with ack {id}", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  c.send("create_room", { name: "A", start_pos: 0 }, "", { id: "req-1" });
  const ack = await c.next("ack");
  assert.equal(ack.payload.id, "req-1");
  c.send("list_rooms", {}, "", { id: 2 });
  assert.equal((await c.next("ack")).payload.id, 2);
});

test("a playing room without a known duration stops at the largest position (maxPositionSeconds), so members can always send back where it is", { timeout: 60_000 }, async (t) => {
  // Fuzzer's finding: the line ran on past the limit; the host could then neither pause where it was nor report its state (invalid_payload).
  const server = await startServer(t, { maxPositionSeconds: 1000 });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Long", 999);
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  host.send("player_event", { action: "play", position: 999, rate: 4 }, roomId, { id: 1 });
  await host.next("ack", (m) => m.payload.id === 1, 15_000);
  const stop = await guest.next("player_event", (m) => m.payload.by === "server", 15_000);
  assert.equal(stop.payload.action, "pause");
  assert.equal(stop.payload.position, 1000);
  const late = await TestClient.connect(t, server.url);
  const joined = await joinRoom(late, roomId);
  assert.ok(joined.payload.state.position <= 1000, `a joiner is told ${joined.payload.state.position}`);
  host.send("player_event", { action: "pause", position: joined.payload.state.position }, roomId, { id: 2 });
  await host.next("ack", (m) => m.payload.id === 2, 15_000);
  host.send("state_update", { position: joined.payload.state.position, play_state: "paused" }, roomId, { id: 3 });
  await host.next("ack", (m) => m.payload.id === 3, 15_000);
});
