/** Scheduled transitions (sync/transitions.ts), driven through a SyncEngine on a FakeClock with a FakePlayer. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_AHEAD_MS, harness } from "../sync-harness.js";

describe("SyncEngine: scheduled transitions", { timeout: 30_000 }, () => {
  it("starts playback at the scheduled instant, not when the command arrives", { timeout: 30_000 }, async () => {
    const h = harness();
    const pausedTl = h.paused(10);
    h.engine.setTimeline(pausedTl);
    await h.clock.advanceAsync(500);
    const anchor = h.serverNow() + 400;
    h.engine.setTimeline(h.playing(10, anchor), pausedTl);
    await h.clock.advanceAsync(390);
    assert.equal(h.player.isPaused(), true, "still holding before the instant");
    assert.equal(h.engine.status().state, "waiting");
    await h.clock.advanceToAsync(anchor - SERVER_AHEAD_MS + 100);
    assert.equal(h.player.isPaused(), false);
    assert.ok(Math.abs(h.player.truePosition() - 10.1) < 0.002, `position ${h.player.truePosition()}`);
    h.engine.destroy();
  });

  it("learns the player's start delay and fires play() that much early", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startDelayMs: 60 } });
    let tl = h.paused(10);
    h.engine.setTimeline(tl);
    const errors: number[] = [];
    for (let i = 0; i < 6; i++) {
      const play = h.playing(tl.position, h.serverNow() + 300);
      h.engine.setTimeline(play, tl);
      // 100 ms after the instant: the media moves (60 ms late at worst) but no correction has begun yet.
      await h.clock.advanceToAsync(play.anchor_server_ts - SERVER_AHEAD_MS + 100);
      errors.push(Math.abs(h.trueOffsetMs(play)));
      await h.clock.advanceAsync(2000);
      tl = h.paused(h.player.truePosition(), h.serverNow() + 300);
      h.engine.setTimeline(tl, play);
      await h.clock.advanceAsync(1500);
    }
    assert.ok(errors[0]! > 50, `first start should be late: ${errors}`);
    assert.ok(errors[5]! < 10, `start delay should be learned: ${errors}`);
    h.engine.destroy();
  });

  it("pauses at the scheduled instant and keeps playing until then", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 30 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(6000);
    const anchor = h.serverNow() + 300;
    const pause = h.paused(16.3, anchor);
    h.engine.setTimeline(pause, play);
    await h.clock.advanceAsync(250);
    assert.equal(h.player.isPaused(), false);
    await h.clock.advanceAsync(1000);
    assert.equal(h.player.isPaused(), true);
    assert.ok(Math.abs(h.player.truePosition() - 16.3) < 0.01, `paused at ${h.player.truePosition()}`);
    h.engine.destroy();
  });

  it("a pause that arrives while a joiner is still seeking is not undone by the start planned before it", { timeout: 30_000 }, async () => {
    // A joiner far behind a playing room: the engine pauses, seeks (slowly) and plans a start.
    const h = harness({ player: { seekLatencyMs: 400 } });
    const play = h.playing(60);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(150);
    assert.equal(h.engine.status().state, "seeking");
    // The host pauses before the seek lands.
    const pause = h.paused(60.5, h.serverNow() + 100);
    const playsBefore = h.player.playCalls;
    h.engine.setTimeline(pause, play);
    await h.clock.advanceAsync(3000);
    assert.equal(h.player.playCalls, playsBefore, "the stale start must not play a paused room, even briefly");
    assert.equal(h.player.isPaused(), true);
    assert.ok(Math.abs(h.player.truePosition() - 60.5) < 0.05, `paused at ${h.player.truePosition()}`);
    h.engine.destroy();
  });

  it("keeps a scheduled pause even if the clock estimate steps back right after it fired", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 30, startDelayMs: 40 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(3000);
    const pause = h.paused(13.5, h.serverNow() + 500);
    h.engine.setTimeline(pause, play);
    await h.clock.advanceToAsync(pause.anchor_server_ts - SERVER_AHEAD_MS + 1);
    assert.equal(h.player.isPaused(), true);
    h.shiftServerClock(-250); // a new pong moves the estimate: "now" is before the instant again
    const playsBefore = h.player.playCalls;
    await h.clock.advanceAsync(300);
    assert.equal(h.player.playCalls, playsBefore, "the engine did not restart the player");
    assert.equal(h.player.isPaused(), true);
    h.engine.destroy();
  });
});
