import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness } from "../../support/core-harness.js";

/** The wait rules themselves: stalls pause at once (stallPauseAfterMs 0) unless a test says otherwise. */
function playing(waitTimeoutMs = 8000, opts: { stallPauseAfterMs?: number; stallCapCount?: number } = {}) {
  const h = new CoreHarness({ defaultLeadMs: 300, defaultWaitTimeoutMs: waitTimeoutMs, stallPauseAfterMs: 0, ...opts });
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  const c = h.join(roomId);
  host.send("player_event", { action: "play", position: 0 }, roomId);
  h.clock.advance(1300);
  for (const x of [host, b, c]) x.take();
  const room = h.hub.rooms.get(roomId)!;
  return { h, host, b, c, roomId, room };
}

test("a buffering member pauses a playing room; ready again resumes it", { timeout: 30_000 }, () => {
  const { h, host, b, roomId, room } = playing();
  b.send("ready", { ready: false }, roomId);
  const pause = host.take("player_event");
  assert.equal(pause.length, 1);
  assert.deepEqual([pause[0]!.payload.action, pause[0]!.payload.by, pause[0]!.payload.reason], ["pause", "server", "buffering"]);
  assert.deepEqual(host.last("participants_update").payload.waiting_for, [b.id]);
  h.clock.advance(1000);
  b.send("ready", { ready: true }, roomId);
  const play = host.take("player_event");
  assert.equal(play.length, 1);
  assert.deepEqual([play[0]!.payload.action, play[0]!.payload.reason], ["play", "buffering"]);
  assert.equal(room.timeline.play_state, "playing");
  assert.equal((room.waiting?.size ?? 0), 0);
});

test("the room never waits forever: a member's timeout resumes the room", () => {
  const { h, host, b, roomId, room } = playing(8000);
  b.send("ready", { ready: false }, roomId);
  host.take();
  h.clock.advance(7999);
  assert.equal(host.take("player_event").length, 0);
  h.clock.advance(1);
  const play = host.take("player_event");
  assert.equal(play.length, 1);
  assert.deepEqual([play[0]!.payload.action, play[0]!.payload.reason], ["play", "buffering_timeout"]);
  assert.equal(room.timeline.play_state, "playing");
  assert.deepEqual(host.last("participants_update").payload.waiting_for, []);
});

test("each member has its own timeout: the room resumes when the last one runs out", () => {
  const { h, host, b, c, roomId } = playing(8000);
  b.send("ready", { ready: false }, roomId);
  h.clock.advance(5000);
  c.send("ready", { ready: false }, roomId);
  host.take();
  h.clock.advance(3000); // b times out, c still waited for
  assert.equal(host.take("player_event").length, 0);
  h.clock.advance(5000); // c times out
  const play = host.take("player_event");
  assert.equal(play.length, 1);
  assert.equal(play[0]!.payload.reason, "buffering_timeout");
});

test("a member that timed out is not waited for again until it has reported ready", { timeout: 30_000 }, () => {
  const { h, host, b, roomId } = playing(8000);
  b.send("ready", { ready: false }, roomId);
  h.clock.advance(8000);
  host.take();
  b.send("ready", { ready: false }, roomId);
  assert.equal(host.take("player_event").length, 0, "exempt: no second pause");
  b.send("ready", { ready: true }, roomId);
  b.send("ready", { ready: false }, roomId);
  const pause = host.take("player_event");
  assert.equal(pause.length, 1, "ready once: waited for again");
  assert.equal(pause[0]!.payload.action, "pause");
});

test("a waited-for member leaving ends its wait and resumes the room", { timeout: 30_000 }, () => {
  const { host, b, roomId, room } = playing();
  b.send("ready", { ready: false }, roomId);
  host.take();
  b.send("leave_room", {}, roomId);
  const play = host.take("player_event");
  assert.equal(play.length, 1);
  assert.equal(play[0]!.payload.action, "play");
  assert.equal((room.waiting?.size ?? 0), 0);
});

test("buffering_policy ignore plays on", { timeout: 30_000 }, () => {
  const { host, b, roomId, room } = playing();
  host.send("room_settings", { buffering_policy: "ignore" }, roomId);
  host.take();
  b.send("ready", { ready: false }, roomId);
  assert.equal(host.take("player_event").length, 0);
  assert.equal(room.timeline.play_state, "playing");
});

test("a user command during a wait ends the wait", { timeout: 30_000 }, () => {
  const { h, host, b, roomId, room } = playing();
  b.send("ready", { ready: false }, roomId);
  host.send("player_event", { action: "seek", position: 30 }, roomId);
  assert.equal((room.waiting?.size ?? 0), 0);
  b.take();
  h.clock.advance(60_000);
  assert.equal(b.take("player_event").length, 0, "no stale timeout fires later");
});

test("a stall shorter than stallPauseAfterMs never pauses the room; a longer one does", { timeout: 30_000 }, () => {
  const { h, host, b, roomId, room } = playing(8000, { stallPauseAfterMs: 1000 });
  b.send("ready", { ready: false }, roomId);
  h.clock.advance(999);
  b.send("ready", { ready: true }, roomId);
  h.clock.advance(5000);
  assert.equal(host.take("player_event").length, 0, "a 1 s stall is the member's own business");
  assert.equal(room.timeline.play_state, "playing");
  b.send("ready", { ready: false }, roomId);
  h.clock.advance(999);
  assert.equal(host.take("player_event").length, 0);
  h.clock.advance(1);
  const pause = host.take("player_event");
  assert.equal(pause.length, 1, "past the threshold the room waits");
  assert.deepEqual([pause[0]!.payload.action, pause[0]!.payload.reason], ["pause", "buffering"]);
  assert.deepEqual((room.waiting?.size ?? 0), 1);
});

test("the stall cap: a guest flipping ready cannot pause the room more than stallCapCount times in the window", { timeout: 30_000 }, () => {
  const { h, host, b, roomId, room } = playing(8000, { stallPauseAfterMs: 1000, stallCapCount: 3 });
  let pauses = 0;
  const skipped = [];
  for (let i = 0; i < 10; i++) {
    b.send("ready", { ready: false }, roomId);
    h.clock.advance(1500);
    b.send("ready", { ready: true }, roomId);
    h.clock.advance(1500);
    const got = host.take();
    pauses += got.filter((m) => m.type === "player_event" && m.payload.action === "pause").length;
    skipped.push(...got.filter((m) => m.type === "wait_skipped"));
  }
  assert.equal(pauses, 3, "three pauses, then the member is no longer waited for");
  assert.equal(room.timeline.play_state, "playing");
  assert.ok(skipped.length >= 1, "the room is told");
  assert.deepEqual(
    { id: skipped[0]!.payload.client_id, reason: skipped[0]!.payload.reason, pauses: skipped[0]!.payload.pauses },
    { id: b.id, reason: "stall_cap", pauses: 3 },
  );
  h.clock.advance(300_000); // the window passes: waited for again
  b.send("ready", { ready: false }, roomId);
  h.clock.advance(1500);
  assert.equal(host.take("player_event").filter((m) => m.payload.action === "pause").length, 1);
});

test("a member leaving during its stall threshold leaves no timer behind", { timeout: 30_000 }, () => {
  const { h, host, b, roomId, room } = playing(8000, { stallPauseAfterMs: 1000 });
  b.send("ready", { ready: false }, roomId);
  b.send("leave_room", {}, roomId);
  assert.equal((room.stalling?.size ?? 0), 0);
  h.clock.advance(5000);
  assert.equal(host.take("player_event").length, 0);
});
