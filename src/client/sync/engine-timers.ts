/**
 * The engine's two periodic timers. The tick (every `tickIntervalMs`) looks
 * at the player and checks the local clock: a tick far too early means the
 * clock went back, one more than `clockGapMs` late that it jumped ahead or
 * the page or event loop was suspended — every local instant planned is
 * then wrong. The report (every `reportIntervalMs`) tells the server this
 * member's raw offset, RTT and seek latency (`sync_report`).
 */
import { type EngineCore, resetFilter } from "./engine-core.js";
import { scheduleTransition } from "./transitions.js";
import { evaluate } from "./timeline-follower.js";

export function scheduleTick(c: EngineCore): void {
  c.lastTickAtMs = c.clock.now();
  c.tickTimer = c.clock.setTimeout(() => {
    const gapMs = c.clock.now() - (c.lastTickAtMs ?? 0) - c.t.tickIntervalMs;
    if (gapMs < -c.t.tickIntervalMs) onClockTrouble(c, "back");
    else if (gapMs > c.t.clockGapMs) onClockTrouble(c, "gap");
    evaluate(c);
    if (!c.destroyed) scheduleTick(c);
  }, c.t.tickIntervalMs);
}

/**
 * The local clock jumped (back or ahead), or the page or event loop was
 * suspended: the clock estimate and every local instant we planned with
 * are wrong. Start clock sync over, forget the plans, and wait (state
 * "waiting", no reports) until the clock is synced again; then the normal
 * correction puts the player back on the room's timeline — from where it
 * is, never from a start position computed on a wrong clock.
 */
function onClockTrouble(c: EngineCore, kind: "back" | "gap"): void {
  // A clock that went back is certainly another time base; a gap may be a
  // stalled loop on a good clock, so the estimate is checked, not dropped.
  if (kind === "back" || !c.clock.verify) c.clock.resync?.();
  else c.clock.verify();
  c.driver.abandon();
  c.landing = null;
  const nowMs = c.clock.now();
  if (c.holdUntilMs !== null) c.holdUntilMs = nowMs + c.t.commandHoldTimeoutMs;
  if (c.pendingRate !== null) c.pendingRate.untilMs = nowMs + c.t.commandHoldTimeoutMs;
  resetFilter(c);
  c.rate.reset();
  c.rawOffsetMs = null;
  c.offsetMs = null;
  c.explicitAlign = true;
  c.realignAfterClock = true;
  scheduleTransition(c);
}

export function scheduleReport(c: EngineCore): void {
  c.reportTimer = c.clock.setTimeout(() => {
    if (c.destroyed) return;
    if (c.next && c.rawOffsetMs !== null && c.clock.synced !== false) {
      const rtt = c.clock.rttMs ?? c.deps.options?.rttMs?.() ?? 0;
      c.deps.send.report({
        offset_ms: Math.round(c.rawOffsetMs),
        rtt_ms: Math.max(0, Math.round(rtt)),
        seek_latency_ms: Math.round(c.driver.seekLatency.ms),
      });
    }
    scheduleReport(c);
  }, c.t.reportIntervalMs);
}
