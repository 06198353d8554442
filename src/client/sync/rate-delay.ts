/**
 * A player whose rate changes show in its position reads only after a delay
 * (`Player.rateDelayMs`: mpv playing audio applies a new speed to audio it
 * has not buffered yet, ≈ its 200 ms audio buffer later). Judged as if the
 * change showed at once, every correction looked like it had not worked yet
 * and was pushed further, and the player swung between 0.8× and 1.2× for as
 * long as it played (new-user trial, mpv with audio). So, for such a player:
 *
 * - its offset counts what the rates asked in the last `rateDelayMs` will
 *   still add once they show (a Smith predictor: for a pure delay L, the
 *   reads lag the asked rates by the integral over the last L of the asked
 *   rate minus the line's rate);
 * - the offset filter carries readings forward along the rate the reads
 *   show now (the one asked L ago), so a change that has not shown yet is no
 *   "step".
 *
 * Players without a delay are judged as before.
 */
import type { EngineCore } from "./engine-core.js";

/** A rate was asked of the player now (kept only for players whose rate changes show late). */
export function noteRate(c: EngineCore, rate: number): void {
  const delayMs = c.player.rateDelayMs ?? 0;
  if (delayMs <= 0) return;
  const now = c.clock.now();
  const log = c.rateLog;
  if (log.length > 0 && log[log.length - 1]!.rate === rate) return;
  log.push({ atMs: now, rate });
  // Only the last rate asked before the delay window matters for what the reads show.
  while (log.length > 1 && log[1]!.atMs <= now - delayMs) log.shift();
}

/** The rate the player's reads show at local instant `atMs` (asked `rateDelayMs` earlier), or `fallback` when none was asked. */
export function shownRate(c: EngineCore, atMs: number, fallback: number): number {
  const delayMs = c.player.rateDelayMs ?? 0;
  let rate = fallback;
  for (const e of c.rateLog) {
    if (e.atMs > atMs - delayMs) break;
    rate = e.rate;
  }
  return rate;
}

/**
 * How far ahead of its reads the player will be, ms, once the rates asked in
 * the last `rateDelayMs` have shown, relative to playing at `lineRate`: the
 * integral over that window of (asked rate − lineRate). 0 without a delay.
 */
export function unshownMs(c: EngineCore, nowMs: number, lineRate: number, fallback: number): number {
  const delayMs = c.player.rateDelayMs ?? 0;
  if (delayMs <= 0) return 0;
  const from = nowMs - delayMs;
  let total = 0;
  let rate = shownRate(c, nowMs, fallback);
  let at = from;
  for (const e of c.rateLog) {
    if (e.atMs <= from) continue;
    total += (rate - lineRate) * (Math.min(e.atMs, nowMs) - at);
    rate = e.rate;
    at = e.atMs;
  }
  return total + (rate - lineRate) * (nowMs - at);
}
