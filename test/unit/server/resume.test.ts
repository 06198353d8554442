import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBER_CHANGE_COALESCE_MS } from "../../../src/server/core/room-views.js";
import { CoreHarness, settle } from "../../support/core-harness.js";

async function extendedGuestDropped(resumeGraceMs = 30_000) {
  const h = new CoreHarness({ resumeGraceMs });
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  b.send("hello", { display_name: "Bea" });
  await settle();
  b.disconnect();
  return { h, host, b, roomId };
}

test("a dropped extended client stays a member, shown disconnected, during its grace", { timeout: 30_000 }, async () => {
  const { h, host, b, roomId } = await extendedGuestDropped();
  assert.equal(h.hub.rooms.get(roomId)!.members.has(b.id), true);
  // The drop came right after the join: its list update is coalesced (room-views.ts), due MEMBER_CHANGE_COALESCE_MS later.
  h.clock.advance(MEMBER_CHANGE_COALESCE_MS);
  const p = host.last("participants_update").payload;
  assert.equal(p.participant_count, 2);
  assert.equal(p.participants.find((x: { id: string }) => x.id === b.id).connected, false);
});

test("resume grace expiry removes the member", { timeout: 30_000 }, async () => {
  const { h, host, b, roomId } = await extendedGuestDropped(30_000);
  h.clock.advance(29_999);
  assert.equal(h.hub.rooms.get(roomId)!.members.has(b.id), true);
  h.clock.advance(1);
  assert.equal(h.hub.rooms.get(roomId)!.members.has(b.id), false);
  assert.deepEqual(host.last("client_left").payload, { client_id: b.id, reason: "expired" });
  assert.equal(host.last("participants_update").payload.participant_count, 1);
  assert.equal(h.hub.sessions.has(b.id), false);
});

test("resume within the grace restores id, room and host role", { timeout: 30_000 }, async () => {
  const h = new CoreHarness({ resumeGraceMs: 30_000 });
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  host.send("hello", {});
  await settle();
  host.disconnect();
  h.clock.advance(10_000);
  const again = await h.resume(host.resumeToken);
  const resumed = again.last("resumed").payload;
  assert.equal(resumed.client_id, host.id);
  assert.equal(resumed.room, roomId);
  assert.notEqual(resumed.resume_token, host.resumeToken, "a fresh token each time");
  assert.equal(again.last("room_state").payload.host_id, host.id);
  assert.equal(h.hub.rooms.get(roomId)!.hostId, host.id);
  h.clock.advance(60_000);
  assert.equal(h.hub.rooms.get(roomId)!.members.has(host.id), true, "the grace timer was cancelled");
  assert.equal(b.all("host_changed").length, 0);
});

test("resume with an unknown or used token fails", { timeout: 30_000 }, async () => {
  const h = new CoreHarness();
  const c = await h.resume("nope");
  assert.equal(c.last("error").payload.code, "resume_failed");
});
