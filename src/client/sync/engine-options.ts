import type { PlayerDriverOptions } from "./player-driver.js";
import type { RateControllerOptions } from "./rate-controller.js";

/** Tunables of the SyncEngine, in one object; docs/sync.md says why each value. */
export interface SyncEngineTunables {
  /** How often the engine compares the player with the timeline, ms. */
  tickIntervalMs: number;
  /** Start correcting when the filtered offset exceeds this, ms. */
  deadzoneEnterMs: number;
  /** Stop correcting once the offset is back within this, ms (hysteresis). */
  deadzoneExitMs: number;
  /** Proportional gain: rate − 1 = −offset / this (an offset decays with this time constant), s. */
  correctionTimeSeconds: number;
  /** Largest rate change from the timeline's rate (0.05: 0.95–1.05). */
  maxRateDelta: number;
  /** Smallest rate change worth making (finer ones get rounded away by players). */
  minRateDelta: number;
  /** For this long after a start or a seek landing, the start error is corrected with the catch-up law, ms. */
  catchUpWindowMs: number;
  /** Catch-up law: time constant, s, and largest rate change (brief, right after a jump or start). */
  catchUpTimeSeconds: number;
  catchUpMaxRateDelta: number;
  /** The filtered offset moving by more than this in one tick beyond what the rate explains (a stutter) opens a catch-up window, ms. */
  stepCatchUpMs: number;
  /** A step beyond this while a trim is applied means the player pays for rate changes: no more trims, ms. */
  trimStepLimitMs: number;
  /** Rate change that trims a resting offset inside the deadzone towards 0 (0: off). */
  trimRateDelta: number;
  /** A stretched player's rest pulls its offset towards 0 with this time constant, within ± trimRateDelta (0: a constant ± trimRateDelta), s. */
  restTimeSeconds: number;
  /** A correction of a room at 1× up to this rate change may move the pitch (a player with `pitchFreeRates` then pays no time-stretch step); 0: never. */
  pitchFreeMaxRateDelta: number;
  /** Within the catch-up window, offsets up to this are corrected pitch-free (at most pitchFreeMaxRateDelta); larger ones at the full catch-up rate, ms. */
  pitchFreeMaxOffsetMs: number;
  /** Pitch-free, the rest (inside the deadzone) pulls at up to this rate change instead of trimRateDelta. */
  pitchFreeRestRateDelta: number;
  /** On a player with `pitchFreeRates` (a browser), rate r reads (r − timeline rate) × this behind until it returns (Chromium's audio lag); counted in the offset, ms. */
  rateLagMs: number;
  /** Seek instead of rate-correcting beyond this offset while playing, ms. */
  seekThresholdMs: number;
  /** Seek threshold while the player refuses rate changes, ms. */
  noRateSeekThresholdMs: number;
  /** Seek when paused and off by more than this, ms. */
  pausedSeekThresholdMs: number;
  /** Corrective seeks are at least this far apart, ms. */
  seekCooldownMs: number;
  /** A seek that has not landed after this is given up, ms. */
  seekTimeoutMs: number;
  /** After a landing, wait this long before measuring where it landed, ms. */
  settleMs: number;
  /** Seek latency assumed before any is measured, ms. */
  initialSeekLatencyMs: number;
  /** Start delay (play() until media moves) assumed before any is measured, ms. */
  initialStartDelayMs: number;
  /** Weight of a new latency/landing observation in the estimates (EMA α). */
  latencyLearnRate: number;
  /** Refused full-size rate requests before falling back to seeks. */
  rateRefusalsToFallback: number;
  /** After a user command, wait this long for the room's answer before re-syncing, ms. */
  commandHoldTimeoutMs: number;
  /** How often a sync_report is sent, ms. */
  reportIntervalMs: number;
  /** Offset readings the median filter spans. */
  offsetFilterSize: number;
  /** Two ticks further apart than tickIntervalMs + this (or a clock going back) mean a clock jump, a suspended page or a stalled event loop, ms. */
  clockGapMs: number;
  /** A stall (or its end) is reported to the room only after lasting this long, outside the engine's own seeks and starts, ms. */
  readyDebounceMs: number;
}

export interface SyncPolicyOptions extends Partial<SyncEngineTunables> {
  /** Continuous correction (rate and seeks). Off: only room commands move the player. */
  correction?: boolean;
  /** Play this far ahead of the room (negative: behind), ms, within ±500. */
  extraOffsetMs?: number;
  /** Round trip to report when the clock has none, ms. */
  rttMs?: () => number;
}

export const defaultSyncEngineTunables: Readonly<SyncEngineTunables> = Object.freeze({
  tickIntervalMs: 100,
  deadzoneEnterMs: 10,
  deadzoneExitMs: 3,
  correctionTimeSeconds: 0.5,
  maxRateDelta: 0.05,
  minRateDelta: 0.01,
  trimRateDelta: 0.002,
  restTimeSeconds: 1,
  pitchFreeMaxRateDelta: 0.1,
  pitchFreeMaxOffsetMs: 40,
  pitchFreeRestRateDelta: 0.005,
  rateLagMs: 75,
  catchUpWindowMs: 3000,
  catchUpTimeSeconds: 0.2,
  catchUpMaxRateDelta: 0.2,
  stepCatchUpMs: 18,
  trimStepLimitMs: 6,
  seekThresholdMs: 400,
  noRateSeekThresholdMs: 120,
  pausedSeekThresholdMs: 60,
  seekCooldownMs: 1500,
  seekTimeoutMs: 5000,
  settleMs: 150,
  initialSeekLatencyMs: 150,
  initialStartDelayMs: 30,
  latencyLearnRate: 0.5,
  rateRefusalsToFallback: 2,
  commandHoldTimeoutMs: 3000,
  reportIntervalMs: 2000,
  offsetFilterSize: 3,
  readyDebounceMs: 250,
  clockGapMs: 1000,
});

export const MAX_EXTRA_OFFSET_MS = 500;

export function clampExtraOffsetMs(ms: number): number {
  if (!Number.isFinite(ms)) return 0;
  return Math.max(-MAX_EXTRA_OFFSET_MS, Math.min(MAX_EXTRA_OFFSET_MS, ms));
}

export function resolveTunables(o: SyncPolicyOptions | undefined): SyncEngineTunables {
  const out: SyncEngineTunables = { ...defaultSyncEngineTunables };
  if (!o) return out;
  for (const key of Object.keys(out) as Array<keyof SyncEngineTunables>) {
    const v = o[key];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/** The rate policy's options, from the engine's tunables. */
export function rateControllerOptions(t: SyncEngineTunables): RateControllerOptions {
  return {
    enterMs: t.deadzoneEnterMs,
    exitMs: t.deadzoneExitMs,
    tickMs: t.tickIntervalMs,
    correctionTimeSeconds: t.correctionTimeSeconds,
    maxDelta: t.maxRateDelta,
    minDelta: t.minRateDelta,
    refusalsToFallback: t.rateRefusalsToFallback,
    trimDelta: t.trimRateDelta,
    catchUpTimeSeconds: t.catchUpTimeSeconds,
    catchUpMaxDelta: t.catchUpMaxRateDelta,
    restTimeSeconds: t.restTimeSeconds,
    pitchFreeMaxDelta: t.pitchFreeMaxRateDelta,
    pitchFreeMaxOffsetMs: t.pitchFreeMaxOffsetMs,
    pitchFreeRestDelta: t.pitchFreeRestRateDelta,
  };
}

/**
 * The player driver's options, from the engine's tunables. Until measured,
 * the start delay is the player's typical one (`typicalStartDelayMs`, ms)
 * unless the options name one (`initialStartDelayMs`).
 */
export function playerDriverOptions(
  t: SyncEngineTunables,
  o: SyncPolicyOptions,
  typicalStartDelayMs: number | undefined,
): PlayerDriverOptions {
  const typical = o.initialStartDelayMs === undefined ? typicalStartDelayMs : undefined;
  const known = typical !== undefined && Number.isFinite(typical) && typical >= 0;
  return known ? { ...t, initialStartDelayMs: typical } : t;
}
