/**
 * The engine's moves that put the player on the room's timeline: a seek
 * aimed ahead by the learned seek latency, then a start at the instant the
 * line reaches the landing spot; what follows a landing (a check of where
 * it landed, the catch-up window); rate requests. When to move is the
 * tick's call (timeline-follower.ts); the hands are the PlayerDriver's.
 */
import { noteRate } from "./rate-delay.js";
import { atEnd, positionAt, type Timeline } from "../../protocol/index.js";
import { type EngineCore, type Landing, resetFilter, setState } from "./engine-core.js";
import { playerAtItsEnd } from "./media-end.js";
import type { LandingKind } from "./player-driver.js";

/** A seek on a still player aims this much further ahead than its learned latency and twice its spread, ms. */
const PAUSED_SEEK_MARGIN_MS = 50;

/** Where the player should be at server instant `serverMs` on `eff`, with the viewer's extra offset, s. */
export function targetAt(c: EngineCore, eff: Timeline, serverMs: number): number {
  return positionAt(eff, serverMs) + c.extraOffsetMs / 1000;
}

/** Whether the player told a change of the viewer's it showed before its event (see Player.checkUserChanges). */
export function viewerActed(c: EngineCore): boolean {
  return c.player.checkUserChanges?.() === true;
}

/** Whether the room's newest line plays (a start planned before a pause arrived is stale). */
function playingNow(c: EngineCore): boolean {
  const next = c.next;
  if (c.destroyed || viewerActed(c)) return false;
  return next?.play_state === "playing" && !atEnd(next, c.clock.serverNow()) && !playerAtItsEnd(c.player);
}

/** Where a start just told to play lands is checked once it should be moving and settled. */
export function landingAfterStart(c: EngineCore, nowMs: number, kind: "start" | "settle"): Landing {
  return { atMs: nowMs + c.driver.startDelay.ms + c.t.settleMs, kind };
}

/**
 * Seek a still player, then start it at the instant the timeline reaches
 * the landing spot. Waiting is cheap, so the aim is generous; an early
 * landing just waits, which makes the result independent of seek jitter.
 */
export function seekThenStart(c: EngineCore, eff: Timeline, serverNow: number): void {
  const startDelayMs = c.driver.startDelay.ms;
  // A seek command scheduled ahead: land early and jump with everyone at its instant.
  const untilInstantMs = eff.anchor_server_ts - serverNow - startDelayMs;
  const seek = c.driver.seekLatency;
  const waitMs = Math.max(seek.ms + 2 * seek.spreadMs + PAUSED_SEEK_MARGIN_MS, untilInstantMs);
  seekTo(c, targetAt(c, eff, serverNow + waitMs + startDelayMs), c.clock.now() + waitMs);
}

/** Seek to `position` (s); with `playAtLocalMs`, start there at that local instant if the line still plays. */
export function seekTo(c: EngineCore, position: number, playAtLocalMs: number | null): void {
  c.rawOffsetMs = null; // read before the jump: not where the player will be
  c.rate.reset();
  if (c.next) applyRate(c, c.next.rate);
  c.driver.seekTo(position, playAtLocalMs, () => playingNow(c));
  setState(c, "seeking");
}

/** The driver's seek landed (see PlayerDriver); null: landed still. */
export function onLanded(c: EngineCore, kind: LandingKind | null, untimed = false): void {
  resetFilter(c);
  const base = kind === "seek-start" || kind === "waited-start" ? c.driver.startDelay.ms : 0;
  c.landing = kind === null ? null : { atMs: c.clock.now() + base + c.t.settleMs, kind, ...(untimed ? { untimed } : {}) };
  if (kind !== null) c.catchUpUntilMs = c.clock.now() + c.t.catchUpWindowMs;
  c.evaluate();
}

/**
 * A start's media runs steadily (the driver just measured its delay): its
 * landing is checked now, on a fresh reading, instead of at start delay +
 * settleMs (a guess at when it settles, 50–100 ms later in Chromium), and
 * the readings taken while it stood still are dropped from the filter.
 */
export function onStartSteady(c: EngineCore): void {
  const landing = c.landing;
  if (c.destroyed || !landing || landing.kind === "seek" || c.clock.now() >= landing.atMs) return;
  landing.atMs = c.clock.now();
  resetFilter(c);
  c.evaluate();
}

/** Asks the driver for `rate`; what the player applies goes back to the rate policy. */
export function applyRate(c: EngineCore, rate: number, requestedDelta = 0, baseRate = rate, pitchFree = pitchFreeAt(c, rate)): void {
  noteRate(c, rate);
  c.driver.applyRate(rate, (applied) => c.rate.applied(requestedDelta, applied / baseRate - 1), pitchFree);
}

/**
 * Corrections of a room playing at 1× may move the pitch briefly (up to
 * pitchFreeMaxRateDelta) on a player that resamples them without a step;
 * a room rate someone chose keeps its pitch.
 */
export function pitchFreeAt(c: EngineCore, roomRate: number): boolean {
  return c.player.pitchFreeRates === true && roomRate === 1 && c.t.pitchFreeMaxRateDelta > 0;
}

/** The engine's own seek, start, command hold or landing is in progress (a stall now is its doing). */
export function ownActionInProgress(c: EngineCore): boolean {
  const d = c.driver;
  if (d.seekInFlight || d.startInFlight || c.holdUntilMs !== null || c.transitionTimer !== null) return true;
  return c.landing !== null && c.clock.now() < c.landing.atMs;
}
