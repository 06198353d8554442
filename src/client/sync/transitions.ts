/**
 * Scheduled transitions: a play or pause the room scheduled ahead fires at
 * its instant on the estimated server clock, a start early by the player's
 * learned start delay so the media moves at the instant (docs/sync.md).
 * Only a change of play state is scheduled; the tick aligns the rest.
 */
import { effectiveTimeline, type Timeline } from "../../protocol/index.js";
import { type EngineCore, LATE_TIMER_MS, resetFilter, setState } from "./engine-core.js";
import { playerAtItsEnd } from "./media-end.js";
import { landingAfterStart, viewerActed } from "./player-moves.js";

/** Forgets any earlier plan and schedules the change from the replaced line to the newest, if its play state changes ahead. */
export function scheduleTransition(c: EngineCore): void {
  if (c.transitionTimer !== null) c.clock.clearTimeout(c.transitionTimer);
  c.transitionTimer = null;
  c.transitionFired = null;
  c.transitionPending = false;
  const next = c.next;
  if (!next || !c.prev) return;
  if (c.clock.synced === false) {
    c.transitionPending = true;
    return;
  }
  const serverNow = c.clock.serverNow();
  if (next.anchor_server_ts <= serverNow) return;
  // Compared with the line as it will be at its instant (a play at the media's end is a stop).
  const atInstant = effectiveTimeline(c.prev, next, next.anchor_server_ts).play_state;
  if (effectiveTimeline(c.prev, next, serverNow).play_state === atInstant) return;
  const leadMs = next.play_state === "playing" ? c.driver.startDelay.ms : 0;
  const inMs = Math.max(0, next.anchor_server_ts - serverNow - leadMs);
  c.transitionDueMs = c.clock.now() + inMs;
  c.transitionTimer = c.clock.setTimeout(() => fireTransition(c, next), inMs);
}

/** The instant of `timeline` is here: pause, or start a still player standing at its position. */
function fireTransition(c: EngineCore, timeline: Timeline): void {
  c.transitionTimer = null;
  if (c.destroyed || viewerActed(c)) return;
  if (timeline !== c.next || c.driver.seekInFlight || c.player.isBuffering()) return;
  if (timeline.play_state === "paused") {
    // The clock estimate may have moved since the timer was set: until the
    // instant has passed by our clock too, do not "correct" the pause away.
    c.transitionFired = timeline;
    void c.player.pause();
    return c.evaluate();
  }
  const at = (c.player.getPosition() - timeline.position) * 1000 - c.extraOffsetMs;
  if (!c.player.isPaused() || Math.abs(at) > c.t.pausedSeekThresholdMs || playerAtItsEnd(c.player)) return c.evaluate();
  c.transitionFired = timeline;
  const late = c.clock.now() - c.transitionDueMs > LATE_TIMER_MS;
  c.driver.play(late);
  resetFilter(c);
  c.landing = { ...landingAfterStart(c, c.clock.now(), "start"), ...(late ? { untimed: true } : {}) };
  c.catchUpUntilMs = c.clock.now() + c.t.catchUpWindowMs;
  setState(c, "waiting");
}
