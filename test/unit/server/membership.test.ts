import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBER_CHANGE_COALESCE_MS } from "../../../src/server/core/room-views.js";
import { CoreHarness, settle } from "../../support/core-harness.js";

test("the host leaving hands the role to the longest-present member and announces it", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  h.clock.advance(10);
  const c = h.join(roomId);
  host.send("leave_room", {}, roomId);
  const changed = c.last("host_changed").payload;
  assert.deepEqual(changed, { host_id: b.id, previous_host_id: host.id, reason: "host_left" });
  assert.equal(h.hub.rooms.get(roomId)!.hostId, b.id);
  // The leave came right after c's join: its list update is coalesced (room-views.ts), due MEMBER_CHANGE_COALESCE_MS later.
  h.clock.advance(MEMBER_CHANGE_COALESCE_MS);
  const upd = c.last("participants_update").payload;
  assert.equal(upd.participant_count, 2);
  assert.equal(upd.host_id, b.id);
  assert.equal(c.last("client_left").payload.client_id, host.id);
});

test("host migration prefers a connected member over one within its resume grace", { timeout: 30_000 }, async () => {
  const h = new CoreHarness({ resumeGraceMs: 30_000 });
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  const c = h.join(roomId);
  b.send("hello", {});
  await settle();
  b.disconnect(); // extended: kept for the grace period
  assert.equal(h.hub.rooms.get(roomId)!.members.size, 3);
  host.disconnect();
  assert.equal(c.last("host_changed").payload.host_id, c.id);
  assert.equal(c.last("host_changed").payload.reason, "host_disconnected");
});

test("a seed client's disconnect removes it at once and updates the count", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  b.disconnect();
  assert.equal(h.hub.rooms.get(roomId)!.members.size, 1);
  assert.equal(host.last("client_left").payload.client_id, b.id, "the departure is told at once");
  // The list update is coalesced with the join's, just before (room-views.ts).
  h.clock.advance(MEMBER_CHANGE_COALESCE_MS);
  assert.equal(host.last("participants_update").payload.participant_count, 1);
  assert.equal(host.last("client_left").payload.reason, "disconnected");
  assert.equal(h.hub.sessions.has(b.id), false);
});

test("joining another room leaves the first: no ghost member", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const a = h.createRoom();
  const b = h.createRoom();
  const guest = h.join(a.roomId);
  guest.send("join_room", {}, b.roomId);
  assert.equal(h.hub.rooms.get(a.roomId)!.members.has(guest.id), false);
  assert.equal(h.hub.rooms.get(b.roomId)!.members.has(guest.id), true);
  // The list update is coalesced with the join's, just before (room-views.ts).
  h.clock.advance(MEMBER_CHANGE_COALESCE_MS);
  assert.equal(a.host.last("participants_update").payload.participant_count, 1);
  assert.equal(a.host.last("client_left").payload.reason, "joined_other_room");
});

test("the room closes when its last member leaves, and the lobby is told", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ roomListPushDelayMs: 100 });
  const lobby = h.connect();
  const { host, roomId } = h.createRoom();
  h.clock.advance(100);
  assert.deepEqual(
    lobby.last("room_list").payload.map((r: { id: string }) => r.id),
    [roomId],
  );
  host.send("leave_room", {}, roomId);
  assert.equal(h.hub.rooms.has(roomId), false);
  h.clock.advance(100);
  assert.deepEqual(lobby.last("room_list").payload, []);
});

test("transfer_host: only the host may, only to a connected member", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  b.send("transfer_host", { client_id: b.id }, roomId);
  assert.equal(b.last("error").payload.code, "not_host");
  host.send("transfer_host", { client_id: "c_nobody" }, roomId);
  assert.equal(host.last("error").payload.code, "not_a_member");
  host.send("transfer_host", { client_id: b.id }, roomId);
  assert.deepEqual(b.last("host_changed").payload, { host_id: b.id, previous_host_id: host.id, reason: "transfer" });
  assert.equal(h.hub.rooms.get(roomId)!.hostId, b.id);
});

test("room_full once maxMembersPerRoom is reached; too_many_rooms at maxRooms", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ maxMembersPerRoom: 2, maxRooms: 1 });
  const { roomId } = h.createRoom();
  h.join(roomId);
  const third = h.connect();
  third.send("join_room", {}, roomId);
  assert.equal(third.last("error").payload.code, "room_full");
  third.send("create_room", { name: "Two", start_pos: 0 });
  assert.equal(third.last("error").payload.code, "too_many_rooms");
});

test("a host who goes to another room (join or create) is announced as having left, not disconnected", { timeout: 30_000 }, () => {
  for (const how of ["join", "create"] as const) {
    const h = new CoreHarness();
    const a = h.createRoom();
    const other = h.createRoom();
    const guest = h.join(a.roomId);
    if (how === "join") a.host.send("join_room", {}, other.roomId);
    else a.host.send("create_room", { name: "Elsewhere", start_pos: 0 });
    assert.equal(guest.last("client_left").payload.reason, "joined_other_room", how);
    assert.deepEqual(guest.last("host_changed").payload, { host_id: guest.id, previous_host_id: a.host.id, reason: "host_left" }, how);
  }
});
