import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";
import { FakeClock } from "../support/fake-clock.js";
import { count, createRoom, joinRoom, party } from "./helpers.js";

test("counts stay right on join, leave and disconnect", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 2);
  const [a, b] = guests as [TestClient, TestClient];
  a.send("leave_room", {}, roomId);
  await host.next("participants_update", count(2));
  await b.next("participants_update", count(2));
  b.close();
  await host.next("participants_update", count(1));
  const c = await TestClient.connect(t, server.url);
  const st = await joinRoom(c, roomId);
  assert.equal(st.payload.participant_count, 2);
  await host.next("participants_update", count(2));
  assert.equal(server.core.stats().members, 2);
});

test("room_list is pushed to lobby clients when a room appears, changes count and vanishes", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const lobby = await TestClient.connect(t, server.url);
  await lobby.next("room_list");
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Friday");
  const appeared = await lobby.next("room_list", (m) => m.payload.length === 1);
  assert.deepEqual(appeared.payload[0], { id: roomId, name: "Friday", count: 1, media_title: null });
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  await lobby.next("room_list", (m) => m.payload[0]?.count === 2);
  guest.send("leave_room", {}, roomId);
  await lobby.next("room_list", (m) => m.payload[0]?.count === 1);
  const back = await guest.next("room_list");
  assert.equal(back.payload[0].count, 1, "the leaver is back in the lobby with a fresh list");
  host.close();
  await lobby.next("room_list", (m) => m.payload.length === 0);
  assert.equal(server.core.stats().rooms, 0);
});

test("one room per connection: joining another room leaves the first, no ghost", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const one = await party(t, server, 1);
  const hostTwo = await TestClient.connect(t, server.url);
  const two = await createRoom(hostTwo);
  const g = one.guests[0]!;
  await joinRoom(g, two);
  await one.host.next("participants_update", count(1));
  const left = one.host.all("client_left").at(-1);
  assert.deepEqual(left?.payload, { client_id: g.clientId, reason: "joined_other_room" });
  await hostTwo.next("participants_update", count(2));
  assert.equal(server.core.hub.rooms.get(one.roomId)!.members.has(g.clientId), false);
  // the guest no longer receives room one's traffic
  one.host.send("player_event", { action: "play", position: 1 }, one.roomId);
  await one.host.flush();
  await g.flush();
  assert.equal(g.all("player_event").length, 0);
});

test("the host leaving hands the role to the longest-present member", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 2);
  const [first, second] = guests as [TestClient, TestClient];
  host.send("leave_room", {}, roomId);
  const changed = await second.next("host_changed");
  assert.deepEqual(changed.payload, { host_id: first.clientId, previous_host_id: host.clientId, reason: "host_left" });
  await first.next("host_changed");
  const upd = await second.next("participants_update", count(2));
  assert.equal(upd.payload.host_id, first.clientId);
  // the new host controls playback
  first.send("player_event", { action: "play", position: 3 }, roomId);
  const ev = await second.next("player_event");
  assert.equal(ev.payload.position, 3);
});

test("the host disconnecting does not strand the guest", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, guests } = await party(t, server, 1);
  host.drop();
  const changed = await guests[0]!.next("host_changed");
  assert.equal(changed.payload.host_id, guests[0]!.clientId);
  assert.equal(changed.payload.reason, "host_disconnected");
  await guests[0]!.next("participants_update", count(1));
});

test("a late joiner's room_state says where playback is now", { timeout: 60_000 }, async (t) => {
  const clock = new FakeClock();
  const server = await startServer(t, { clock });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Film", 10);
  host.send("player_event", { action: "play", position: 10 }, roomId, { id: "p1" });
  const ack = await host.next("ack", (m) => m.payload.id === "p1");
  clock.advanceTo(ack.payload.target_server_ts + 5000);
  const late = await TestClient.connect(t, server.url);
  const st = await joinRoom(late, roomId);
  assert.equal(st.payload.state.play_state, "playing");
  assert.equal(st.payload.state.position, 15);
  assert.equal(st.payload.host_id, host.clientId);
});

test("unknown room and full room are refused, and the client can still join elsewhere", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxMembersPerRoom: 1 });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host);
  const c = await TestClient.connect(t, server.url);
  c.send("join_room", {}, "nosuchroom");
  await c.error("room_not_found");
  c.send("join_room", {}, roomId);
  await c.error("room_full");
  const own = await createRoom(c);
  assert.notEqual(own, roomId);
});
