/**
 * A pause and a seek made at the same moment by two members: the seek is
 * scheduled a lead ahead, so the pauser's frame is from the line before it.
 * The room ends paused where the seek went, not with the seek lost; a pause
 * near the pending line's start (a seed client that already acted on it) is
 * still the pauser's frame (src/server/core/timeline-commands.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness } from "../../support/core-harness.js";

function sharedRoom() {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom({ settings: { shared_control: true } });
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 20 }, roomId);
  h.clock.advance(1000);
  return { h, host, guest, roomId, room: () => h.hub.rooms.get(roomId)! };
}

test("a pause that comes while another member's seek waits for its instant pauses where the seek goes", { timeout: 10_000 }, () => {
  const { h, host, guest, roomId, room } = sharedRoom();
  guest.send("player_event", { action: "seek", position: 50 }, roomId);
  h.clock.advance(50); // within the lead: nobody's player is at 50 yet
  host.send("player_event", { action: "pause", position: 21.05 }, roomId);
  assert.deepEqual([room().timeline.play_state, room().timeline.position], ["paused", 50]);
  const told = guest.last("player_event").payload;
  assert.deepEqual([told.action, told.position], ["pause", 50], "everyone is told to pause at the seek's position");
});

test("once the seek's instant has passed, or near the pending line's start, a pause is the pauser's frame", { timeout: 10_000 }, () => {
  const a = sharedRoom();
  a.guest.send("player_event", { action: "seek", position: 50 }, a.roomId);
  a.h.clock.advance(1000); // the seek happened for everyone
  a.host.send("player_event", { action: "pause", position: 50.9 }, a.roomId);
  assert.equal(a.room().timeline.position, 50.9);

  const b = sharedRoom();
  b.host.send("player_event", { action: "seek", position: 50 }, b.roomId);
  b.h.clock.advance(50);
  b.host.send("player_event", { action: "pause", position: 50.04 }, b.roomId); // a client that jumped at once
  assert.equal(b.room().timeline.position, 50.04);
});
