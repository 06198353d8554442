/**
 * How far ahead to aim an action whose effect lags (a seek, a start): an EMA
 * of measured durations plus a learned bias from where actions actually
 * landed. The bias catches lag the duration cannot see, e.g. a player that
 * reports the seek done but resumes moving later.
 *
 * A lone duration far above the estimate (over SPIKE_FACTOR × it +
 * SPIKE_MARGIN_MS) is held back: one start after a 20 s freeze of the page
 * took ~1.9 s and, at a learn rate of 0.5, moved the estimate from 87 to
 * 985 ms, so every later action went ~0.9 s early. A second such duration in
 * a row means the player did get slower: both are learned. (ClockSync's
 * delay-spike rule is the same idea.)
 */

/** A duration above SPIKE_FACTOR × the estimate + SPIKE_MARGIN_MS is a spike until the next one confirms it. */
const SPIKE_FACTOR = 2;
/** ms: keeps the jitter of a small estimate (a 10 ms seek that took 40) from counting as a spike. */
const SPIKE_MARGIN_MS = 100;
/**
 * ms: a landing bias this small survives a measured start. Cleared always,
 * bench:sync's reconnect recovered in 850 ms instead of 650 (its player's
 * few ms of landing bias are real); the bias a one-off stall left was 122 ms
 * in the unit test and ~900 ms in Chromium.
 */
const BIAS_KEEP_MS = 50;
export class LatencyEstimator {
  private emaMs: number;
  private biasMs = 0;
  private deviationMs = 0;
  /** No duration measured yet: the EMA still holds the initial guess. */
  private guessing = true;
  /** A spike waiting for the next duration to confirm it, ms. */
  private heldSpikeMs: number | null = null;

  /**
   * `firstWhole`: the first measured duration replaces the initial guess
   * instead of moving it by `alpha` (the guess is no observation; RFC 6298
   * takes the first RTT sample whole the same way).
   * `holdSpikes`: a lone spike waits for a second to confirm it (see above);
   * for the start delay, which is steady for a player. Seek durations vary
   * with what is buffered: bench:sync's seek storm and pause/play bursts
   * got worse (p95 7.8 → 10 and 7.2 → 12 ms) with their spikes held.
   */
  constructor(
    initialMs: number,
    private readonly alpha: number,
    private readonly maxMs = 5000,
    private readonly firstWhole = false,
    private readonly holdSpikes = false,
  ) {
    this.emaMs = initialMs;
  }

  /** The aim, ms. */
  get ms(): number {
    return Math.max(0, Math.min(this.maxMs, this.emaMs + this.biasMs));
  }

  /** How much durations vary: an EMA of their absolute deviation, ms. */
  get spreadMs(): number {
    return this.deviationMs;
  }

  /** A measured duration (request to done), ms. */
  observeDuration(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > this.maxMs) return;
    if (this.guessing && this.firstWhole) {
      this.guessing = false;
      this.emaMs = ms;
      return;
    }
    this.guessing = false;
    const held = this.heldSpikeMs;
    this.heldSpikeMs = null;
    if (this.holdSpikes && ms > SPIKE_FACTOR * this.emaMs + SPIKE_MARGIN_MS) {
      if (held === null) {
        this.heldSpikeMs = ms;
        return;
      }
      this.learn(held);
    }
    this.learn(ms);
  }

  /**
   * Forgets a landing bias over BIAS_KEEP_MS: a duration just measured is the whole delay
   * (the start delay read off the media clock), and a bias learned from
   * landings of starts that could not be measured (a one-off stall) would
   * otherwise stay added to it for good.
   */
  resetBias(): void {
    if (Math.abs(this.biasMs) > BIAS_KEEP_MS) this.biasMs = 0;
  }

  private learn(ms: number): void {
    this.deviationMs += this.alpha * (Math.abs(ms - this.emaMs) - this.deviationMs);
    this.emaMs += this.alpha * (ms - this.emaMs);
  }

  /** The action landed `lateMs` late (negative: early); aim further ahead next time. */
  observeLanding(lateMs: number): void {
    if (!Number.isFinite(lateMs) || Math.abs(lateMs) > this.maxMs) return;
    this.biasMs = Math.max(-this.maxMs, Math.min(this.maxMs, this.biasMs + this.alpha * lateMs));
  }
}
