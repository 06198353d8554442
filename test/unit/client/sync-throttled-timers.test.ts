/**
 * A tab whose timers run late (Chromium aligns a hidden tab's timers to whole
 * seconds) makes every scheduled start and poll late: what such starts and
 * landings show is the page's timers, not the player. Learned from, they
 * pushed the start delay from ~80 ms to 650–850 ms, and once the tab was
 * visible again every start came ~700 ms early: a pause/seek/play loop four
 * times a second (a report from another watch-party project, reproduced in
 * Chromium). Nothing is learned while timers are late; after, the player
 * follows as before.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SERVER_AHEAD_MS, harness } from "./sync-harness.js";

test("starts and landings of late timers teach no estimate; visible again, a seek lands in sync without a loop", { timeout: 30_000 }, async () => {
  const h = harness({ player: { startDelayMs: 80, seekLatencyMs: 40 }, engine: { initialStartDelayMs: 80, initialSeekLatencyMs: 40 } });
  // Pause/play cycles with timers on time: the estimates settle on the player.
  let tl = h.paused(10);
  h.engine.setTimeline(tl);
  await h.clock.advanceAsync(500);
  for (let i = 0; i < 3; i++) {
    const play = h.playing(tl.position, h.serverNow() + 400);
    h.engine.setTimeline(play, tl);
    await h.clock.advanceAsync(2500);
    tl = h.paused(h.player.truePosition(), h.serverNow() + 300);
    h.engine.setTimeline(tl, play);
    await h.clock.advanceAsync(1500);
  }
  const before = { start: h.engine.startDelay.ms, seek: h.engine.seekLatency.ms };

  // Hidden: the host seeks, pauses and plays; every action of the engine fires up to a second late.
  h.setThrottled(true);
  for (let i = 0; i < 4; i++) {
    const play = h.playing(30 + i * 20, h.serverNow() + 400);
    h.engine.setTimeline(play, tl);
    await h.clock.advanceAsync(6000);
    tl = h.paused(h.player.truePosition(), h.serverNow() + 300);
    h.engine.setTimeline(tl, play);
    await h.clock.advanceAsync(1500);
  }
  assert.ok(
    Math.abs(h.engine.startDelay.ms - before.start) < 1 && Math.abs(h.engine.seekLatency.ms - before.seek) < 1,
    `estimates moved while timers ran late: start ${before.start.toFixed(0)} → ${h.engine.startDelay.ms.toFixed(0)} ms, seek ${before.seek.toFixed(0)} → ${h.engine.seekLatency.ms.toFixed(0)} ms`,
  );

  // Visible again: the host plays from 60 s; the player lands in sync and stays, with one seek.
  h.setThrottled(false);
  const seeksBefore = h.player.seeks.length;
  const play = h.playing(60, h.serverNow() + 400);
  h.engine.setTimeline(play, tl);
  await h.clock.advanceToAsync(play.anchor_server_ts - SERVER_AHEAD_MS + 3000);
  const offsets: number[] = [];
  for (let i = 0; i < 20; i++) {
    await h.clock.advanceAsync(250);
    offsets.push(h.trueOffsetMs(play));
  }
  assert.ok(offsets.every((o) => Math.abs(o) < 40), `offsets after the seek: ${offsets.map((o) => o.toFixed(0)).join(", ")} ms`);
  assert.ok(h.player.seeks.length - seeksBefore <= 2, `${h.player.seeks.length - seeksBefore} seeks after the tab came back (a loop seeks every few hundred ms)`);
});
