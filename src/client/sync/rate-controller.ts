/**
 * The rate policy, pure: from the filtered offset to a rate change relative
 * to the timeline's rate. A deadzone with hysteresis (start beyond
 * `enterMs`, stop within `exitMs` or once the offset changed sign) keeps it
 * from hunting around zero; inside, a proportional law with a gentle clamp.
 * It learns the player's rate granularity (a request rounded back to 1 makes
 * the next one larger) and notices a player that refuses rates altogether.
 *
 * Inside the deadzone a fine trim (`trimDelta`, e.g. 0.3 %: 3 ms per second)
 * still pulls a resting offset towards 0, so two viewers cannot rest at the
 * opposite edges of their deadzones (up to 2 × enterMs apart). The trim is
 * inaudible, and is given up for good on a player that rounds it away.
 */
/** Readings in a row beyond exitMs, on one side, before a trim starts (1 s at 100 ms ticks). */
const TRIM_AFTER_TICKS = 10;

export interface RateControllerOptions {
  enterMs: number;
  exitMs: number;
  /** How often decide() is called, ms: with a coarse rate, the offset moves minDelta × tick per call. */
  tickMs: number;
  correctionTimeSeconds: number;
  maxDelta: number;
  minDelta: number;
  refusalsToFallback: number;
  /** Rate change that trims an offset inside the deadzone towards 0 (0: off). */
  trimDelta?: number;
  /** Right after a start or landing: a faster law for the start error (time constant s, clamp). */
  catchUpTimeSeconds?: number;
  catchUpMaxDelta?: number;
}

export class RateController {
  private correctingSign = 0;
  private minDelta: number;
  private refusals = 0;
  private trimSign = 0;
  /** Consecutive readings beyond exitMs on one side (signed): a resting offset, not read noise. */
  private restingTicks = 0;
  private trimRefused = false;

  constructor(private readonly o: RateControllerOptions) {
    this.minDelta = o.minDelta;
  }

  /** False once the player refused full-size rate changes repeatedly. */
  get supported(): boolean {
    return this.refusals < this.o.refusalsToFallback;
  }

  get correcting(): boolean {
    return this.correctingSign !== 0;
  }

  /** Forget the current correction (after a seek or a state change). */
  reset(): void {
    this.correctingSign = 0;
    this.trimSign = 0;
    this.restingTicks = 0;
  }

  /** Rate change to apply for this offset (ms, positive: ahead): 0 inside the deadzone. */
  decide(offsetMs: number, catchUp = false): number {
    if (!this.supported) return 0;
    const sign = Math.sign(offsetMs);
    if (this.correctingSign === 0) {
      if (Math.abs(offsetMs) <= this.o.enterMs) return this.trim(offsetMs);
      this.trimSign = 0;
      this.correctingSign = sign;
    } else if (Math.abs(offsetMs) <= this.exitMs() || sign !== this.correctingSign) {
      this.correctingSign = 0;
      return 0;
    }
    const tau = catchUp ? (this.o.catchUpTimeSeconds ?? this.o.correctionTimeSeconds) : this.o.correctionTimeSeconds;
    const max = catchUp ? Math.max(this.o.maxDelta, this.o.catchUpMaxDelta ?? 0) : this.o.maxDelta;
    const wanted = offsetMs / 1000 / tau;
    const magnitude = Math.min(max, Math.max(this.minDelta, Math.abs(wanted)));
    return -Math.sign(offsetMs) * magnitude;
  }

  /** Inside the deadzone: a fine pull towards 0 beyond exitMs, with the same stop rule. */
  private trim(offsetMs: number): number {
    const delta = this.o.trimDelta ?? 0;
    if (delta <= 0 || this.trimRefused || this.minDelta > this.o.minDelta) return 0;
    const sign = Math.sign(offsetMs);
    const beyond = Math.abs(offsetMs) > this.o.exitMs;
    this.restingTicks = beyond && Math.sign(this.restingTicks) !== -sign ? this.restingTicks + sign : 0;
    if (this.trimSign === 0 && Math.abs(this.restingTicks) >= TRIM_AFTER_TICKS) this.trimSign = sign;
    else if (this.trimSign !== 0 && (Math.abs(offsetMs) <= this.o.exitMs || sign !== this.trimSign)) this.trimSign = 0;
    return this.trimSign === 0 ? 0 : -this.trimSign * delta;
  }

  /** Stop threshold: never finer than half a step of the coarsest rate the player accepts. */
  private exitMs(): number {
    return Math.max(this.o.exitMs, (this.minDelta * this.o.tickMs) / 2);
  }

  /** What the player did with a request (both as changes relative to the timeline's rate). */
  applied(requestedDelta: number, appliedDelta: number): void {
    if (requestedDelta === 0) return;
    if (Math.abs(requestedDelta) < this.o.minDelta) {
      // A trim: a player that rounds it away gets no more trims (its granularity is learned from real corrections).
      if (Math.abs(appliedDelta) <= 1e-6) this.trimRefused = true;
      return;
    }
    if (Math.abs(appliedDelta) > 1e-6) {
      this.refusals = 0;
      return;
    }
    if (Math.abs(requestedDelta) >= this.o.maxDelta - 1e-9) this.refusals++;
    else this.minDelta = Math.min(this.o.maxDelta, Math.abs(requestedDelta) * 2);
  }
}
