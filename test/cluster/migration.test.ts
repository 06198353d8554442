/**
 * Sessions move to the instance that owns their room: a dropped member
 * resumes through a third instance while the owner lives (same id, room and
 * role, a new token), and a member switches from a room on one instance to
 * a room on another (its gateway is neither), leaving the first room as on
 * one server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { TestClient } from "../support/ws-client.js";

test("a dropped member resumes through another instance while the owner lives", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b, c] = await startInProcessCluster(t, 3, redis.url, uniquePrefix());
  const guest = await TestClient.connect(t, b!.url);
  const token = guest.messages[0]!.payload.resume_token as string;
  guest.send("hello", { display_name: "Guest" });
  const host = await TestClient.connect(t, a!.url);
  host.send("hello", { display_name: "Host" });
  host.send("create_room", { name: "Resume", start_pos: 0 });
  const { room } = await host.next("room_state");
  guest.send("join_room", {}, room);
  await guest.next("room_state");
  host.send("transfer_host", { client_id: guest.clientId }, room, { id: "t" });
  await host.next("ack", (m) => m.payload.id === "t");
  await guest.next("host_changed");

  guest.drop();
  await host.next("participants_update", (m) => m.payload.participants.some((p: { id: string; connected: boolean }) => p.id === guest.clientId && !p.connected));
  const back = await TestClient.connect(t, c!.url);
  back.send("resume", { resume_token: token }, "", { id: "r" });
  const resumed = await back.next("resumed");
  assert.equal(resumed.payload.client_id, guest.clientId);
  assert.equal(resumed.payload.room, room);
  assert.notEqual(resumed.payload.resume_token, token, "each resume hands out a fresh token");
  const st = await back.next("room_state");
  assert.equal(st.payload.host_id, guest.clientId, "still the host");
  await host.next("participants_update", (m) => m.payload.participants.every((p: { connected: boolean }) => p.connected));
  // The resumed host controls the room through instance c.
  back.clientId = guest.clientId;
  back.send("player_event", { action: "play", position: 3 }, room, { id: "p" });
  await back.next("ack", (m) => m.payload.id === "p");
  await host.next("player_event", (m) => m.payload.by === guest.clientId);
  // The old token is spent.
  const again = await TestClient.connect(t, a!.url);
  again.send("resume", { resume_token: token });
  await again.error("resume_failed");
});

test("a member switches from a room on one instance to a room on another", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b, c] = await startInProcessCluster(t, 3, redis.url, uniquePrefix());
  const h1 = await TestClient.connect(t, a!.url);
  h1.send("create_room", { name: "First", start_pos: 0 });
  const first = (await h1.next("room_state")).room;
  const h2 = await TestClient.connect(t, b!.url);
  h2.send("create_room", { name: "Second", start_pos: 0 });
  const second = (await h2.next("room_state")).room;
  const m = await TestClient.connect(t, c!.url);
  m.send("hello", { display_name: "Mover" });
  m.send("join_room", {}, first);
  await m.next("room_state", (x) => x.room === first);
  await h1.next("participants_update", (x) => x.payload.participant_count === 2);
  m.send("join_room", {}, second, { id: "j2" });
  const st = await m.next("room_state", (x) => x.room === second);
  assert.equal(st.payload.participant_count, 2);
  await m.next("ack", (x) => x.payload.id === "j2");
  const left = await h1.next("client_left");
  assert.equal(left.payload.client_id, m.clientId);
  assert.equal(left.payload.reason, "joined_other_room");
  assert.equal(a!.core.hub.sessions.has(m.clientId), false, "the session left the first owner");
  assert.ok(b!.core.hub.sessions.has(m.clientId), "and lives at the second");
  // Frames keep flowing to and from the new home.
  m.send("chat_message", { text: "moved" }, second, { id: "c" });
  await m.next("ack", (x) => x.payload.id === "c");
  await h2.next("chat_message", (x) => x.payload.text === "moved");
  await m.flush();
});
