/**
 * One room, members on three instances: every member sees the same frames
 * (participants, chat with history, timeline commands, host hand-over) as
 * on one server, and `room_list` is global and pushed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { TestClient } from "../support/ws-client.js";

test("members of one room on three instances see identical frames", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b, c] = await startInProcessCluster(t, 3, redis.url, uniquePrefix());
  const host = await TestClient.connect(t, a!.url);
  host.send("hello", { display_name: "Host" });
  host.send("create_room", { name: "Spread", start_pos: 0 }, "", { id: "c1" });
  const created = await host.next("room_state");
  const room = created.room;
  const g1 = await TestClient.connect(t, b!.url);
  const g2 = await TestClient.connect(t, c!.url);
  g1.send("hello", { display_name: "G1" });
  g2.send("hello", { display_name: "G2" });
  g1.send("join_room", {}, room, { id: "j1" });
  const s1 = await g1.next("room_state");
  assert.equal(s1.payload.participant_count, 2);
  await g1.next("ack", (m) => m.payload.id === "j1");
  g2.send("join_room", {}, room);
  const s2 = await g2.next("room_state");
  assert.equal(s2.payload.participant_count, 3);
  for (const cl of [host, g1, g2]) await cl.next("participants_update", (m) => m.payload.participant_count === 3);
  // One owner runs the room; the others only carry sockets.
  assert.ok(a!.core.hub.rooms.has(room));
  assert.equal(b!.core.hub.rooms.size + c!.core.hub.rooms.size, 0);
  assert.equal(a!.core.hub.rooms.get(room)!.members.size, 3);

  // Chat from a member on another instance than the owner: every member gets the same frame.
  g2.send("chat_message", { text: "hi from c" }, room);
  const chats = await Promise.all([host, g1, g2].map((cl) => cl.next("chat_message")));
  assert.ok(chats.every((m) => m.payload.text === "hi from c" && m.payload.id === chats[0]!.payload.id));
  assert.ok(chats.every((m) => m.server_ts === chats[0]!.server_ts), "one frame, serialized once");

  // A timeline command from the host: same target instant everywhere, and the sender's ack carries it.
  host.send("player_event", { action: "play", position: 10 }, room, { id: "p1" });
  const ack = await host.next("ack", (m) => m.payload.id === "p1");
  const [e1, e2] = await Promise.all([g1.next("player_event"), g2.next("player_event")]);
  assert.equal(e1.payload.target_server_ts, ack.payload.target_server_ts);
  assert.equal(e2.payload.target_server_ts, ack.payload.target_server_ts);

  // A late joiner on another instance gets the chat history.
  const late = await TestClient.connect(t, b!.url);
  late.send("hello", { display_name: "Late" });
  late.send("join_room", {}, room);
  const ls = await late.next("room_state");
  assert.deepEqual(
    ls.payload.chat.map((x: { text: string }) => x.text),
    ["hi from c"],
  );
  assert.equal(ls.payload.timeline.play_state, "playing");

  // Host migration: the host leaves; the longest-present member (G1, on instance b) becomes host everywhere.
  host.send("leave_room", {}, room);
  const changes = await Promise.all([g1, g2, late].map((cl) => cl.next("host_changed")));
  assert.ok(changes.every((m) => m.payload.host_id === g1.clientId));
  g1.send("player_event", { action: "pause", position: 12 }, room, { id: "p2" });
  await g1.next("ack", (m) => m.payload.id === "p2");
  const paused = await Promise.all([g2, late].map((cl) => cl.next("player_event", (m) => m.payload.action === "pause")));
  assert.ok(paused.every((m) => m.payload.by === g1.clientId));
});

test("room_list is global and pushed to lobby sessions on every instance", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await startInProcessCluster(t, 2, redis.url, uniquePrefix());
  const watcher = await TestClient.connect(t, b!.url);
  const host = await TestClient.connect(t, a!.url);
  host.send("create_room", { name: "Listed", start_pos: 0 });
  const { room } = await host.next("room_state");
  const pushed = await watcher.next("room_list", (m) => m.payload.some((r: { id: string }) => r.id === room), 10_000);
  assert.equal(pushed.payload.find((r: { id: string }) => r.id === room).count, 1);
  // Counts follow members joining through the other instance.
  const guest = await TestClient.connect(t, b!.url);
  guest.send("join_room", {}, room);
  await guest.next("room_state");
  await watcher.next("room_list", (m) => m.payload.find((r: { id: string }) => r.id === room)?.count === 2, 10_000);
  // room_info for a room held elsewhere, from the mirror.
  watcher.send("room_info", {}, room);
  const info = await watcher.next("room_info");
  assert.equal(info.payload.name, "Listed");
  assert.equal(info.payload.count, 2);
  // The room closes: it leaves every list.
  host.send("leave_room", {}, room);
  guest.send("leave_room", {}, room);
  await watcher.next("room_list", (m) => !m.payload.some((r: { id: string }) => r.id === room), 10_000);
});
