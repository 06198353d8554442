import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness } from "../../support/core-harness.js";

function playingRoom() {
  const h = new CoreHarness({ defaultLeadMs: 300, stateUpdateToleranceSeconds: 0.25 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 0 }, roomId);
  h.clock.advance(10_300); // timeline is at 10 s
  guest.take();
  host.take();
  return { h, host, guest, roomId };
}

test("a host report within the tolerance does not re-anchor the timeline, but is relayed", { timeout: 30_000 }, () => {
  const { h, host, guest, roomId } = playingRoom();
  const before = { ...h.hub.rooms.get(roomId)!.timeline };
  host.send("state_update", { position: 10.2, play_state: "playing" }, roomId);
  assert.deepEqual(h.hub.rooms.get(roomId)!.timeline, before);
  const relayed = guest.take("state_update");
  assert.equal(relayed.length, 1);
  assert.equal(relayed[0]!.payload.position, 10.2, "relayed as sent (seed)");
  assert.deepEqual(relayed[0]!.payload.timeline, before, "with the room's unchanged line for SDK clients");
  assert.equal(host.take("state_update").length, 0, "not echoed to the host");
});

test("a host report beyond the tolerance re-anchors the timeline at now", { timeout: 30_000 }, () => {
  const { h, host, guest, roomId } = playingRoom();
  host.send("state_update", { position: 11, play_state: "playing" }, roomId);
  assert.deepEqual(h.hub.rooms.get(roomId)!.timeline, {
    position: 11,
    play_state: "playing",
    rate: 1,
    anchor_server_ts: h.clock.now(),
  });
  assert.equal(guest.last("state_update").payload.position, 11);
});

test("a host report with another play state always re-anchors", { timeout: 30_000 }, () => {
  const { h, host, roomId } = playingRoom();
  host.send("state_update", { position: 10, play_state: "paused" }, roomId);
  assert.equal(h.hub.rooms.get(roomId)!.timeline.play_state, "paused");
});

test("a guest's state_update is refused with not_host and changes nothing", { timeout: 30_000 }, () => {
  const { h, guest, roomId } = playingRoom();
  const before = { ...h.hub.rooms.get(roomId)!.timeline };
  guest.send("state_update", { position: 50, play_state: "paused" }, roomId);
  assert.equal(guest.last("error").payload.code, "not_host");
  assert.deepEqual(h.hub.rooms.get(roomId)!.timeline, before);
});

test("the host's latest word wins over a pending command", { timeout: 30_000 }, () => {
  const { h, host, guest, roomId } = playingRoom();
  host.send("player_event", { action: "seek", position: 100 }, roomId); // takes effect 300 ms from now
  const now = h.clock.now();
  host.send("state_update", { position: 100, play_state: "paused" }, roomId);
  assert.deepEqual(h.hub.rooms.get(roomId)!.timeline, { position: 100, play_state: "paused", rate: 1, anchor_server_ts: now });
  h.clock.advance(1000);
  const late = h.join(roomId);
  const state = late.last("room_state").payload.state;
  assert.deepEqual([state.position, state.play_state], [100, "paused"], "the next joiner sees the host's state");
  assert.equal(guest.last("state_update").payload.play_state, "paused");
});
