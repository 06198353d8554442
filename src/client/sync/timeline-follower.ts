/**
 * The engine's tick: one look at the player against the room's timeline.
 * It waits while the player buffers, seeks or starts, while the clock is
 * not synced and while the viewer's own command is held; otherwise it reads
 * the offset at the estimated server time and decides: on a paused line,
 * stop the player there; on a playing line, start a still player (after a
 * seek when it stands far off), seek one running far off, bend the rate of
 * one near the line, and leave one inside the deadzone alone. Where a seek
 * or start landed teaches the learned latencies. docs/sync.md explains the
 * policy and every constant.
 */
import { effectiveTimeline, positionAt, type Timeline } from "../../protocol/index.js";
import { type EngineCore, type Landing, resetFilter, setState } from "./engine-core.js";
import { bothAtEnd as standsAtEnd } from "./media-end.js";
import { applyRate, landingAfterStart, pitchFreeAt, seekThenStart, seekTo, viewerActed } from "./player-moves.js";
import { shownRate, unshownMs } from "./rate-delay.js";
import { scheduleTransition } from "./transitions.js";

/** Ticks after a correction left the timeline's rate over which its step is summed (the median shows it within two). */
const ENTRY_STEP_TICKS = 2;

/** One look at the player against the line: wait, leave it, bend its rate, seek, start or stop it. */
export function evaluate(c: EngineCore): void {
  if (c.destroyed) return;
  // Only a reading taken on this look is reported: one from before a seek or a
  // stall would tell the room a position the player has left (a guest slow to
  // land a seek read "10 s behind" for as long as the seek took).
  c.rawOffsetMs = null;
  const next = c.next;
  if (!next) return setState(c, "idle");
  // The viewer's change, told now, has been handled (a command, or for a guest an evaluate of its own).
  if (viewerActed(c)) return;
  if (c.player.isBuffering()) return setState(c, "buffering");
  if (c.driver.seekInFlight) return setState(c, "seeking");
  if (c.driver.startInFlight) return setState(c, "waiting");
  if (c.clock.synced === false) return setState(c, "waiting");
  if (c.realignAfterClock) {
    c.realignAfterClock = false;
    c.catchUpUntilMs = c.clock.now() + c.t.catchUpWindowMs;
  }
  if (c.transitionPending) scheduleTransition(c);
  const nowMs = c.clock.now();
  if (c.holdUntilMs !== null) {
    if (nowMs < c.holdUntilMs) return setState(c, "waiting");
    c.holdUntilMs = null; // the room never answered: go back to its timeline
    c.explicitAlign = true;
  }
  if (c.pendingRate !== null) {
    if (nowMs < c.pendingRate.untilMs) return setState(c, "waiting");
    c.pendingRate = null; // the room never took our speed: back to its rate
    applyRate(c, next.rate);
  }
  // The room answered and its start is here (or it paused): the player no longer stands still for the viewer's play.
  if (next.play_state === "paused" || !c.player.isPaused()) c.heldForPlay = false;
  const serverNow = c.clock.serverNow();
  if (c.transitionFired === next && serverNow < next.anchor_server_ts) return setState(c, "waiting");
  const eff = effectiveTimeline(c.prev, next, serverNow);
  const timelinePos = positionAt(eff, serverNow);
  const raw = (c.player.getPosition() - timelinePos) * 1000;
  c.rawOffsetMs = raw;
  const delayed = (c.player.rateDelayMs ?? 0) > 0;
  // A player whose rate changes show late moves, in its reads, at the rate asked rateDelayMs ago (rate-delay.ts).
  const shown = delayed ? shownRate(c, nowMs, c.player.getRate()) : c.player.getRate();
  const slope = eff.play_state === "playing" && !c.player.isPaused() ? shown - eff.rate : 0;
  const offset = c.filter.push(raw - c.extraOffsetMs, nowMs, slope);
  c.offsetMs = offset;
  // A step (the player stuttered or skipped) is a fresh error like a start's: close it with the catch-up law.
  if (Math.abs(c.filter.stepMs) > c.t.stepCatchUpMs) c.catchUpUntilMs = nowMs + c.t.catchUpWindowMs;
  // One beyond the pitch-free limit (a 100–400 ms freeze of a busy page) is decided afresh: a pitch-free
  // correction under way would keep its 10 % for it. (Smaller steps, like time-stretching's ~20 ms entry, keep the correction.)
  if (Math.abs(c.filter.stepMs) > c.t.pitchFreeMaxOffsetMs) c.rate.reset();
  c.rate.stepWhileTrimming(c.filter.stepMs, c.t.trimStepLimitMs);
  watchEntryStep(c);
  const positionAllowed = c.correction || c.explicitAlign;

  if (eff.play_state === "paused") {
    if (!c.player.isPaused()) void c.player.pause();
    if (positionAllowed && Math.abs(offset) > c.t.pausedSeekThresholdMs && !bothAtEnd(c, eff, timelinePos)) {
      return seekTo(c, timelinePos + c.extraOffsetMs / 1000, null);
    }
    c.explicitAlign = false;
    return setState(c, c.transitionTimer !== null ? "waiting" : "synced");
  }
  if (c.player.isPaused()) {
    // The media ended a moment before the room's line does: wait there (playing would restart it).
    if (bothAtEnd(c, eff, timelinePos)) return setState(c, "synced");
    if (positionAllowed && Math.abs(offset) > c.t.pausedSeekThresholdMs) return seekThenStart(c, eff, serverNow);
    c.explicitAlign = false;
    c.driver.play();
    c.landing = landingAfterStart(c, nowMs, "settle");
    c.catchUpUntilMs = nowMs + c.t.catchUpWindowMs;
    resetFilter(c);
    return setState(c, "synced");
  }
  if (c.landing) {
    if (nowMs < c.landing.atMs) return;
    learnLanding(c, c.landing, offset);
    c.landing = null;
  }
  if (!positionAllowed) return setState(c, "synced");
  const seekThreshold = c.rate.supported ? c.t.seekThresholdMs : c.t.noRateSeekThresholdMs;
  const cooledDown = nowMs - c.driver.lastSeekEndMs >= c.t.seekCooldownMs;
  if (Math.abs(offset) > seekThreshold && (cooledDown || c.explicitAlign)) {
    void c.player.pause(); // the picture jumps anyway; holding still makes the landing exact
    return seekThenStart(c, eff, serverNow);
  }
  c.explicitAlign = false;
  if (!c.correction) return setState(c, "synced");
  // Right after leaving the timeline's rate, the step that change costs has not shown in the median yet: count it.
  const pendingStepMs = c.entryWatch ? c.rate.rateEntryStepMs - c.entryWatch.stepMs : 0;
  // A browser's rate change shows in its reads late, and the return to the rate gives that back: count it, or the correction overshoots.
  const lagMs = delayed
    ? unshownMs(c, nowMs, eff.rate, c.player.getRate())
    : c.player.pitchFreeRates === true
      ? (c.player.getRate() - eff.rate) * c.t.rateLagMs
      : 0;
  const delta = c.rate.decide(offset + pendingStepMs + lagMs, nowMs < c.catchUpUntilMs, pitchFreeAt(c, eff.rate));
  const pitchFree = c.rate.isPitchFree(delta);
  // Leaving exactly the timeline's rate (a stretched rest never comes within 1e-4 of it) for a rate that pays a step.
  if (delta !== 0 && !pitchFree && Math.abs(c.player.getRate() - eff.rate) < 5e-5) {
    c.entryWatch = { ticks: 0, stepMs: 0 };
    // A player that pays for leaving its rate: the step it is about to take is fresh error, closed by the catch-up law.
    if (Math.abs(c.rate.rateEntryStepMs) > c.t.deadzoneEnterMs) c.catchUpUntilMs = nowMs + c.t.catchUpWindowMs;
  }
  applyRate(c, eff.rate * (1 + delta), delta, eff.rate, pitchFree);
  setState(c, Math.abs(delta) >= c.t.minRateDelta ? "correcting" : "synced"); // a trim is still "synced"
}

/** The player and the room's line both stand at the media's end (see media-end.ts). */
function bothAtEnd(c: EngineCore, eff: Timeline, timelinePos: number): boolean {
  return standsAtEnd(c.player, eff, timelinePos, c.t.seekThresholdMs);
}

/** Two ticks after a correction left the timeline's rate, what the rate change cost goes to the rate policy. */
function watchEntryStep(c: EngineCore): void {
  const w = c.entryWatch;
  if (!w) return;
  w.stepMs += c.filter.stepMs;
  if (++w.ticks < ENTRY_STEP_TICKS) return;
  c.entryWatch = null;
  c.rate.learnEntryStep(w.stepMs);
}

function learnLanding(c: EngineCore, landing: Landing, offsetMs: number): void {
  // A landing whose timer fired late measures the page's timers, not the player (a throttled background tab).
  if (landing.kind === "settle" || landing.untimed || c.player.isBuffering()) return;
  const startError = landing.kind === "start" || landing.kind === "waited-start";
  if (!startError) return c.driver.seekLatency.observeLanding(-offsetMs);
  // A start measured on the media clock is the player's whole delay; what is left at its landing is
  // not the player's (a clock estimate that moved meanwhile, a late timer) and must not bias the next start.
  if (c.driver.startMeasured) return;
  c.driver.startDelay.observeLanding(-offsetMs);
}
