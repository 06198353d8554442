/**
 * An instance dies (in this process: its heartbeat stops and its Redis
 * connections are cut at once, its clients' connections drop): the room it
 * owned continues on the survivors with timeline, members, host and chat,
 * and its own SDK client resumes through another instance with the same id
 * and role.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { TestClient } from "../support/ws-client.js";

test("the owner dies: the room continues on the survivors and its clients resume there", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b, c] = await startInProcessCluster(t, 3, redis.url, uniquePrefix(), { clusterInstanceTtlMs: 1000 });
  const host = await TestClient.connect(t, a!.url);
  const token = (host.messages[0]!.payload as { resume_token: string }).resume_token;
  host.send("hello", { display_name: "Host" });
  host.send("create_room", { name: "Failover", start_pos: 0 }, "", { id: "c" });
  const { room } = await host.next("room_state");
  const g1 = await TestClient.connect(t, b!.url);
  const g2 = await TestClient.connect(t, c!.url);
  const seed = await TestClient.connect(t, c!.url); // a seed client: no hello, cannot resume
  for (const [cl, name] of [[g1, "G1"], [g2, "G2"]] as const) cl.send("hello", { display_name: name });
  for (const cl of [g1, g2, seed]) {
    cl.send("join_room", {}, room, { id: "j" });
    await cl.next("room_state");
  }
  host.send("chat_message", { text: "before the crash" }, room, { id: "m" });
  await host.next("ack", (m) => m.payload.id === "m");
  host.send("player_event", { action: "play", position: 42 }, room, { id: "p" });
  const played = await host.next("ack", (m) => m.payload.id === "p");
  for (const cl of [g1, g2, seed]) await cl.next("player_event");

  // A dies.
  const diedAt = performance.now();
  a!.cluster!.abort();
  host.drop();

  // The survivors' members get the room again from its new owner: same timeline, host and chat.
  const again = await Promise.all([g1, g2, seed].map((cl) => cl.next("room_state", () => true, 15_000)));
  const tookMs = Math.round(performance.now() - diedAt);
  t.diagnostic(`room back on a survivor ${tookMs} ms after the owner died`);
  for (const s of again) {
    assert.equal(s.room, room);
    assert.equal(s.payload.host_id, host.clientId);
    assert.deepEqual(s.payload.timeline, played.payload.timeline);
    assert.deepEqual(
      s.payload.chat.map((x: { text: string }) => x.text),
      ["before the crash"],
    );
  }
  const owners = [b!, c!].filter((s) => s.core.hub.rooms.has(room));
  assert.equal(owners.length, 1, "exactly one survivor runs the room");

  // The dead instance's SDK client comes back through another instance: same id, room and host role.
  const back = await TestClient.connect(t, c!.url);
  back.send("resume", { resume_token: token }, "", { id: "r" });
  const resumed = await back.next("resumed", () => true, 10_000);
  assert.equal(resumed.payload.client_id, host.clientId);
  assert.equal(resumed.payload.room, room);
  const st = await back.next("room_state");
  assert.equal(st.payload.host_id, host.clientId);
  back.clientId = host.clientId;

  // The room works: the host pauses, every member (the seed client too) follows.
  back.send("player_event", { action: "pause", position: 50 }, room, { id: "p2" });
  await back.next("ack", (m) => m.payload.id === "p2");
  for (const cl of [g1, g2, seed]) await cl.next("player_event", (m) => m.payload.action === "pause");
  g2.send("chat_message", { text: "after" }, room);
  for (const cl of [back, g1, seed]) await cl.next("chat_message", (m) => m.payload.text === "after");
});

test("a graceful stop hands the room over: members elsewhere stay, the stopped instance's client resumes", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await startInProcessCluster(t, 2, redis.url, uniquePrefix(), { clusterInstanceTtlMs: 1000 });
  const host = await TestClient.connect(t, a!.url);
  const token = (host.messages[0]!.payload as { resume_token: string }).resume_token;
  host.send("hello", { display_name: "Host" });
  host.send("create_room", { name: "Handover", start_pos: 0 });
  const { room } = await host.next("room_state");
  const guest = await TestClient.connect(t, b!.url);
  guest.send("hello", { display_name: "Guest" });
  guest.send("join_room", {}, room);
  await guest.next("room_state");
  host.send("chat_message", { text: "before the stop" }, room, { id: "m" });
  await host.next("ack", (m) => m.payload.id === "m");

  await a!.close();
  await host.next("server_shutdown");
  // The guest, on the surviving instance, is bound to the room restored there.
  const st = await guest.next("room_state", () => true, 10_000);
  assert.ok(b!.core.hub.rooms.has(room));
  assert.deepEqual(
    st.payload.chat.map((x: { text: string }) => x.text),
    ["before the stop"],
  );
  const back = await TestClient.connect(t, b!.url);
  back.send("resume", { resume_token: token });
  const resumed = await back.next("resumed", () => true, 10_000);
  assert.equal(resumed.payload.client_id, host.clientId);
  assert.equal((await back.next("room_state")).payload.host_id, host.clientId);
});
