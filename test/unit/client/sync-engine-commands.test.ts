import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_AHEAD_MS, harness } from "./sync-harness.js";

describe("SyncEngine: scheduled transitions, user actions, buffering, reports", { timeout: 30_000 }, () => {
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

  it("turns a controller's pause into a command and does not fight it while the room answers", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    assert.equal(h.commands.length, 1);
    assert.equal(h.commands[0]!.action, "pause");
    assert.equal(h.commands[0]!.position, h.player.truePosition());
    await h.clock.advanceAsync(400);
    assert.equal(h.player.isPaused(), true, "the engine does not restart the player");
    h.engine.setTimeline(h.paused(h.commands[0]!.position, h.serverNow() + 200), play);
    await h.clock.advanceAsync(3000);
    assert.equal(h.player.isPaused(), true);
    assert.equal(h.player.playCalls, 1, "only the initial start");
    h.engine.destroy();
  });

  it("holds a controller's play until the room's instant, so the sender starts with everyone", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true });
    const pausedTl = h.paused(20);
    h.engine.setTimeline(pausedTl);
    await h.clock.advanceAsync(500);
    h.player.userPlay();
    assert.deepEqual(h.commands, [{ action: "play", position: 20 }]);
    assert.equal(h.player.isPaused(), true, "held still until the room's instant");
    await h.clock.advanceAsync(100);
    const anchor = h.serverNow() + 300;
    h.engine.setTimeline(h.playing(20, anchor), pausedTl);
    await h.clock.advanceToAsync(anchor - SERVER_AHEAD_MS + 500);
    assert.ok(Math.abs(h.player.truePosition() - 20.5) < 0.002, `position ${h.player.truePosition()}`);
    h.engine.destroy();
  });

  it("re-syncs to the room when a controller's command gets no answer", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true, player: { seekLatencyMs: 50 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(1000);
    h.player.userSeek(80);
    await h.clock.advanceAsync(5000);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("undoes a non-controller's pause and seek instead of sending them", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 80 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    await h.clock.advanceAsync(300);
    assert.equal(h.player.isPaused(), false);
    h.player.userSeek(500);
    await h.clock.advanceAsync(2000);
    assert.deepEqual(h.commands, []);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("pauses again when a non-controller presses play in a paused room", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 50 } });
    h.engine.setTimeline(h.paused(30));
    await h.clock.advanceAsync(1000);
    h.player.userPlay();
    await h.clock.advanceAsync(150);
    assert.equal(h.player.isPaused(), true);
    await h.clock.advanceAsync(1000);
    assert.ok(Math.abs(h.player.truePosition() - 30) < 0.06, `position ${h.player.truePosition()}`);
    assert.deepEqual(h.commands, []);
    h.engine.destroy();
  });

  it("reports buffering as ready(false) / ready(true) and catches up afterwards", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 80 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.stall(1500);
    assert.equal(h.engine.status().state, "buffering");
    await h.clock.advanceAsync(1500 + 250); // each report once it has held for readyDebounceMs
    assert.deepEqual(
      h.readies.map((r) => r.ready),
      [false, true],
    );
    await h.clock.advanceAsync(2000);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("sends a sync report every 2 s with offset, rtt and seek latency", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10.01 }, engine: { trimRateDelta: 0 } }); // a resting 10 ms to report
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(6100);
    assert.equal(h.reports.length, 3);
    const r = h.reports[2]!;
    assert.equal(r.rtt_ms, 80);
    assert.ok(Math.abs(r.offset_ms - 10) <= 1, `offset ${r.offset_ms}`);
    assert.equal(r.seek_latency_ms, 150);
    h.engine.destroy();
  });

  it("emits status changes and stops everything on destroy()", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 100 } });
    const states: string[] = [];
    h.engine.on("status", (s) => states.push(s.state));
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(6000);
    assert.equal(states[0], "seeking");
    assert.equal(states.at(-1), "synced");
    h.engine.destroy();
    assert.equal(h.clock.pending, 0);
    h.player.userPause();
    assert.equal(h.player.playCalls, 1);
  });
});
