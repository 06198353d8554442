/**
 * How far ahead to aim an action whose effect lags (a seek, a start): an EMA
 * of measured durations plus a learned bias from where actions actually
 * landed. The bias catches lag the duration cannot see, e.g. a player that
 * reports the seek done but resumes moving later.
 */
export class LatencyEstimator {
  private emaMs: number;
  private biasMs = 0;
  private deviationMs = 0;
  /** No duration measured yet: the EMA still holds the initial guess. */
  private guessing = true;

  /**
   * `firstWhole`: the first measured duration replaces the initial guess
   * instead of moving it by `alpha` (the guess is no observation; RFC 6298
   * takes the first RTT sample whole the same way).
   */
  constructor(
    initialMs: number,
    private readonly alpha: number,
    private readonly maxMs = 5000,
    private readonly firstWhole = false,
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
    this.deviationMs += this.alpha * (Math.abs(ms - this.emaMs) - this.deviationMs);
    this.emaMs += this.alpha * (ms - this.emaMs);
  }

  /** The action landed `lateMs` late (negative: early); aim further ahead next time. */
  observeLanding(lateMs: number): void {
    if (!Number.isFinite(lateMs) || Math.abs(lateMs) > this.maxMs) return;
    this.biasMs = Math.max(-this.maxMs, Math.min(this.maxMs, this.biasMs + this.alpha * lateMs));
  }
}
