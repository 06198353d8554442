/** Every seed message of ../docs/protocol.md, over a real socket, with its exact field names. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterRedisUrl } from "../support/cluster-server.js";
import { startServer } from "../support/server.js";
import { type Received, TestClient } from "../support/ws-client.js";

function assertEnvelope(m: Received): void {
  assert.equal(typeof m.type, "string");
  assert.equal(typeof m.room, "string", `${m.type}.room`);
  assert.equal(typeof m.client, "string", `${m.type}.client`);
  assert.ok(Number.isFinite(m.ts), `${m.type} carries ts`);
  assert.ok(Number.isFinite(m.server_ts), `${m.type} carries server_ts`);
  assert.ok("payload" in m, `${m.type} carries payload`);
}

test("seed conformance: every message, in order, with the seed's fields", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);

  // client_hello {client_id}, then a pushed room_list
  assert.deepEqual(
    host.messages.slice(0, 1).map((m) => m.type),
    ["client_hello"],
  );
  assert.equal(typeof host.messages[0]!.payload.client_id, "string");
  const pushed = await host.next("room_list");
  assert.equal(host.messages.indexOf(pushed), 1, "room_list comes right after client_hello");
  assert.deepEqual(pushed.payload, []);

  // create_room {start_pos, name} → room_state
  host.send("create_room", { start_pos: 12.5, name: "Seed room" });
  const created = await host.next("room_state");
  const roomId = created.room;
  assert.ok(roomId.length > 0);
  assert.equal(created.payload.name, "Seed room");
  assert.equal(created.payload.host_id, host.clientId);
  assert.equal(created.payload.participant_count, 1);
  assert.equal(created.payload.state.position, 12.5);
  assert.equal(created.payload.state.play_state, "paused");

  // list_rooms → room_list [{id, name, count}]
  const guest = await TestClient.connect(t, server.url);
  guest.send("list_rooms");
  const listed = await guest.next("room_list", (m) => m.payload.length === 1);
  assert.deepEqual(
    { id: listed.payload[0].id, name: listed.payload[0].name, count: listed.payload[0].count },
    { id: roomId, name: "Seed room", count: 1 },
  );

  // join_room (room in the envelope, no payload) → room_state to the joiner, participants_update to the room
  guest.send("join_room", undefined, roomId);
  const joined = await guest.next("room_state");
  assert.equal(joined.room, roomId);
  assert.equal(joined.payload.participant_count, 2);
  assert.equal(joined.payload.host_id, host.clientId);
  const pu = await host.next("participants_update", (m) => m.payload.participant_count === 2);
  assert.equal(pu.room, roomId);

  // state_update {position, play_state} → updates the room and is relayed
  // (sent before any player_event: a report that arrives while a command is still
  // scheduled in the future does not override that command)
  host.send("state_update", { position: 33, play_state: "paused" }, roomId);
  const su = await guest.next("state_update");
  assert.equal(su.payload.position, 33);
  assert.equal(su.payload.play_state, "paused");
  if (!clusterRedisUrl) assert.equal(server.core.hub.rooms.get(roomId)!.timeline.position, 33); // in-process only

  // player_event {action, position} → relayed to the others with target_server_ts
  for (const action of ["play", "pause", "seek"]) {
    host.send("player_event", { action, position: 20 }, roomId);
    const ev = await guest.next("player_event");
    assert.equal(ev.payload.action, action);
    assert.equal(typeof ev.payload.position, "number");
    assert.ok(Number.isFinite(ev.payload.target_server_ts));
    assert.equal(ev.room, roomId);
  }

  // ping {client_ts} → pong echoing it
  host.send("ping", { client_ts: 123.5 }, "");
  const pong = await host.next("pong", (m) => m.payload.client_ts === 123.5);
  assert.ok(pong.payload.server_rx_ts <= pong.payload.server_tx_ts);
  assert.ok(pong.payload.server_tx_ts <= pong.server_ts);

  // error {code, message}
  host.send("no_such_type", {});
  const err = await host.next("error");
  assert.equal(err.payload.code, "unknown_type");
  assert.equal(typeof err.payload.message, "string");

  await host.flush();
  await guest.flush();
  assert.equal(host.all("player_event").length, 0, "the sender is not relayed its own player_event");
  assert.equal(host.all("state_update").length, 0, "nor its own state_update");
  for (const m of [...host.messages, ...guest.messages]) assertEnvelope(m);
});

test("a relayed message keeps the sender's ts and the sender's id in client", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("create_room", { start_pos: 0, name: "R" });
  const roomId = (await host.next("room_state")).room;
  const guest = await TestClient.connect(t, server.url);
  guest.send("join_room", {}, roomId);
  await guest.next("room_state");
  host.ws.send(JSON.stringify({ type: "player_event", room: roomId, payload: { action: "play", position: 1 }, ts: 777 }));
  const ev = await guest.next("player_event");
  assert.equal(ev.ts, 777);
  assert.equal(ev.client, host.clientId);
  assert.ok(ev.server_ts > 777);
});

test("the seed's payload-less messages may omit `payload` entirely (list_rooms, join_room, leave_room)", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("create_room", { start_pos: 0, name: "R" });
  const roomId = (await host.next("room_state")).room;
  const guest = await TestClient.connect(t, server.url);
  guest.ws.send(JSON.stringify({ type: "list_rooms", room: "", ts: Date.now(), id: "l1" }));
  await guest.flush();
  assert.deepEqual(
    guest.all("error").map((e) => e.payload.code),
    [],
    "list_rooms without payload is accepted",
  );
  assert.equal(guest.all("ack").at(-1)?.payload.id, "l1");
  guest.ws.send(JSON.stringify({ type: "join_room", room: roomId, ts: Date.now() }));
  const st = await guest.next("room_state");
  assert.equal(st.room, roomId);
  guest.ws.send(JSON.stringify({ type: "leave_room", room: roomId, ts: Date.now() }));
  await host.next("participants_update", (m) => m.payload.participant_count === 1);
  await guest.flush();
  assert.equal(guest.all("error").length, 0);
});
