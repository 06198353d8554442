/**
 * The seed's relay rules over a real socket (issue 9): a relayed
 * `player_event` "contains action and position" — the sender's; a host's
 * `state_update` "updates server state and broadcasts", even right after a
 * command whose instant has not come yet.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterRedisUrl } from "../support/cluster-server.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

async function seedRoom(t: Parameters<typeof startServer>[0]) {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("create_room", { start_pos: 0, name: "Seed relay" });
  const roomId = (await host.next("room_state")).room;
  const guest = await TestClient.connect(t, server.url);
  guest.send("join_room", undefined, roomId);
  await guest.next("room_state");
  return { server, host, guest, roomId };
}

test("a seed client's relayed pause carries its own action and position", { timeout: 20_000 }, async (t) => {
  const { server, host, guest, roomId } = await seedRoom(t);
  host.send("player_event", { action: "play", position: 10 }, roomId);
  await guest.next("player_event", (m) => m.payload.action === "play");
  // The seed client paused on the frame at 10.48 s; whatever the server's timeline says, that is the room's frame.
  host.send("player_event", { action: "pause", position: 10.48 }, roomId);
  const ev = await guest.next("player_event", (m) => m.payload.action === "pause");
  assert.equal(ev.payload.action, "pause");
  assert.equal(ev.payload.position, 10.48);
  assert.equal(ev.client, host.clientId);
  const late = await TestClient.connect(t, server.url);
  late.send("join_room", undefined, roomId);
  const state = (await late.next("room_state")).payload.state;
  assert.deepEqual([state.position, state.play_state], [10.48, "paused"], "the room stays on the pauser's frame");
});

test("a host state_update sent right after a command is the room's state the next joiner sees", { timeout: 20_000 }, async (t) => {
  const { server, host, guest, roomId } = await seedRoom(t);
  host.send("player_event", { action: "play", position: 50 }, roomId); // scheduled a lead ahead
  host.send("state_update", { position: 42, play_state: "paused" }, roomId); // the host's latest word
  const su = await guest.next("state_update");
  assert.deepEqual([su.payload.position, su.payload.play_state], [42, "paused"], "relayed as sent");
  const late = await TestClient.connect(t, server.url);
  late.send("join_room", undefined, roomId);
  const state = (await late.next("room_state")).payload.state;
  assert.deepEqual([state.position, state.play_state], [42, "paused"]);
  if (!clusterRedisUrl) assert.equal(server.core.hub.rooms.get(roomId)!.timeline.play_state, "paused"); // in-process only
});
