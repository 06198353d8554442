/**
 * The rate policy, pure: from the filtered offset to a rate change relative
 * to the timeline's rate. A deadzone with hysteresis (start beyond
 * `enterMs`, stop within `exitMs` or once the offset changed sign) keeps it
 * from hunting around zero; inside, a proportional law with a gentle clamp.
 * It learns the player's rate granularity (a request rounded back to 1 makes
 * the next one larger) and notices a player that refuses rates altogether.
 */
export interface RateControllerOptions {
  enterMs: number;
  exitMs: number;
  /** How often decide() is called, ms: with a coarse rate, the offset moves minDelta × tick per call. */
  tickMs: number;
  correctionTimeSeconds: number;
  maxDelta: number;
  minDelta: number;
  refusalsToFallback: number;
}

export class RateController {
  private correctingSign = 0;
  private minDelta: number;
  private refusals = 0;

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
  }

  /** Rate change to apply for this offset (ms, positive: ahead): 0 inside the deadzone. */
  decide(offsetMs: number): number {
    if (!this.supported) return 0;
    const sign = Math.sign(offsetMs);
    if (this.correctingSign === 0) {
      if (Math.abs(offsetMs) <= this.o.enterMs) return 0;
      this.correctingSign = sign;
    } else if (Math.abs(offsetMs) <= this.exitMs() || sign !== this.correctingSign) {
      this.correctingSign = 0;
      return 0;
    }
    const wanted = offsetMs / 1000 / this.o.correctionTimeSeconds;
    const magnitude = Math.min(this.o.maxDelta, Math.max(this.minDelta, Math.abs(wanted)));
    return -Math.sign(offsetMs) * magnitude;
  }

  /** Stop threshold: never finer than half a step of the coarsest rate the player accepts. */
  private exitMs(): number {
    return Math.max(this.o.exitMs, (this.minDelta * this.o.tickMs) / 2);
  }

  /** What the player did with a request (both as changes relative to the timeline's rate). */
  applied(requestedDelta: number, appliedDelta: number): void {
    if (requestedDelta === 0) return;
    if (Math.abs(appliedDelta) > 1e-6) {
      this.refusals = 0;
      return;
    }
    if (Math.abs(requestedDelta) >= this.o.maxDelta - 1e-9) this.refusals++;
    else this.minDelta = Math.min(this.o.maxDelta, Math.abs(requestedDelta) * 2);
  }
}
