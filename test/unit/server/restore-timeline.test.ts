/**
 * A room restored after a restart goes on as it was: a playing room keeps
 * re-announcing its timeline (seed clients correct only on these), and a
 * wall clock stepped between the two runs neither freezes it nor sends its
 * position past what members may send back (crash tester's findings 1, 2).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { positionAt } from "../../../src/protocol/index.js";
import { resolveConfig } from "../../../src/server/config.js";
import { flushRooms, restoredTimeline } from "../../../src/server/core/persistence.js";
import { CoreHarness } from "../../support/core-harness.js";
import { FakeClock } from "../../support/fake-clock.js";

const HOUR_MS = 3_600_000;

/** A room playing from 100 s, written to the store; then a new core on that store, its clock `stepMs` off the first's. */
function restartPlaying(stepMs: number) {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  host.send("player_event", { action: "play", position: 100 }, roomId);
  h.clock.advance(1000);
  flushRooms(h.hub);
  const clock = new FakeClock(h.clock.now() + stepMs);
  const after = new CoreHarness({ defaultLeadMs: 300 }, h.hub.store, clock);
  const room = after.hub.rooms.get(roomId)!;
  return { after, roomId, room, at: () => positionAt(room.timeline, clock.now()) };
}

test("a room restored while playing re-announces its timeline every stateBroadcastIntervalMs, with no command after the restart", { timeout: 10_000 }, () => {
  const { after, roomId } = restartPlaying(0);
  const member = after.join(roomId);
  member.take();
  after.clock.advance(resolveConfig({}).stateBroadcastIntervalMs + 10);
  const updates = member.take("state_update");
  assert.equal(updates.length, 1, "one periodic state_update after the interval");
  assert.equal(updates[0]!.payload.play_state, "playing");
  after.clock.advance(resolveConfig({}).stateBroadcastIntervalMs);
  assert.equal(member.take("state_update").length, 1, "and again after the next interval");
});

test("a clock stepped back an hour between runs: the room plays on from where it was, not frozen for the hour", { timeout: 10_000 }, () => {
  const { after, room, at } = restartPlaying(-HOUR_MS);
  assert.equal(room.timeline.play_state, "playing");
  const start = at();
  assert.ok(Math.abs(start - 100) < 1, `continues from about where it was (≈ 100 s), got ${start}`);
  after.clock.advance(3000);
  assert.ok(Math.abs(at() - (start + 3)) < 0.01, `3 s later it is 3 s further: ${at()}`);
});

test("a clock stepped forward 30 days: the position stays where it was and within what members may send", { timeout: 10_000 }, () => {
  const { after, roomId, room, at } = restartPlaying(30 * 24 * HOUR_MS);
  const max = resolveConfig({}).maxPositionSeconds;
  assert.ok(at() <= max, `position ${at()} ≤ ${max}`);
  assert.ok(Math.abs(at() - 100) < 2, `continues from about where it was: ${at()}`);
  // Anyone may control while the host is away: a pause at the room's own position is taken, not refused.
  const member = after.join(roomId);
  member.send("player_event", { action: "pause", position: at() }, roomId, { id: "p" });
  assert.equal(member.last("ack").payload.id, "p");
  assert.equal(room.timeline.play_state, "paused");
});

test("restoredTimeline: a legitimately pending command stays pending; stored positions outside the limits are clamped", { timeout: 10_000 }, () => {
  const limits = { maxLeadMs: 1500, maxPositionSeconds: 1_000_000 };
  const now = 1_800_000_000_000;
  const pending = { position: 5, play_state: "playing" as const, rate: 1, anchor_server_ts: now + 800 };
  assert.equal(restoredTimeline(pending, now, limits), pending, "an anchor within the lead is a scheduled start: kept");
  const negative = restoredTimeline({ position: -500, play_state: "paused", rate: 1, anchor_server_ts: now - 10 }, now, limits);
  assert.equal(negative.position, 0);
  const huge = restoredTimeline({ position: 5e6, play_state: "paused", rate: 1, anchor_server_ts: now - 10 }, now, limits);
  assert.equal(huge.position, 1_000_000);
});
