/**
 * The rate policy, pure: from the filtered offset to a rate change relative
 * to the timeline's rate. A deadzone with hysteresis (start beyond
 * `enterMs`, stop within `exitMs` or once the offset changed sign) keeps it
 * from hunting around zero; inside, a proportional law with a gentle clamp.
 * It learns the player's rate granularity (a request rounded back to 1 makes
 * the next one larger) and notices a player that refuses rates altogether.
 *
 * Inside the deadzone a fine trim (`trimDelta`, e.g. 0.2 %: 2 ms per second)
 * still pulls a resting offset towards 0, so two viewers cannot rest at the
 * opposite edges of their deadzones (up to 2 × enterMs apart). The trim is
 * inaudible, and is given up for good on a player that rounds it away. A
 * player for which leaving the rate costs a step beyond exitMs rests
 * stretched at ± the trim instead (never back at the rate), so every player
 * that takes trims is pulled towards 0 one way or the other.
 */
/** Readings in a row beyond exitMs, on one side, before a trim starts (1 s at 100 ms ticks). */
const TRIM_AFTER_TICKS = 10;
/** The stretched rest's direction flips once the offset is beyond this on the other side, ms. */
const REST_FLIP_MS = 1;
/** The proportional rest's smallest pull, as a share of the trim (never exactly the rate), and its granularity. */
const REST_FLOOR_SHARE = 0.05;
const REST_GRANULARITY = 1e-4;

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
  /** Stretched rest: time constant of its pull towards 0, s (0 or absent: a constant ± trimDelta). */
  restTimeSeconds?: number;
  /** Pitch-free corrections (see decide()): largest rate change, and the largest catch-up offset kept within it, ms. */
  pitchFreeMaxDelta?: number;
  pitchFreeMaxOffsetMs?: number;
  /** Pitch-free, the rest pulls at up to this rate change (at least trimDelta). */
  pitchFreeRestDelta?: number;
}

export class RateController {
  private correctingSign = 0;
  private minDelta: number;
  private refusals = 0;
  private trimSign = 0;
  /** Consecutive readings beyond exitMs on one side (signed): a resting offset, not read noise. */
  private restingTicks = 0;
  /** The player rounds trims away (or its rate granularity is coarse): no trims and no stretched rest. */
  private trimRefused = false;
  /** A trim cost the player a step (see stepWhileTrimming): it rests stretched instead of trimming. */
  private trimStepped = false;
  /** Direction of the resting trim of a stretched player (see rest()). */
  private restSign = 0;
  /** Learned media-time step when the player leaves the timeline's rate (negative: falls behind), ms. */
  private entryStepMs = 0;
  /** The last decide() could use pitch-free rates. */
  private pitchFree = false;
  /** The current correction went pitch-free (within pitchFreeMaxOffsetMs): it stays within the pitch-free rate. */
  private freeCorrection = false;

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
    this.freeCorrection = false;
    this.restSign = 0;
    this.trimSign = 0;
    this.restingTicks = 0;
  }

  /**
   * Rate change to apply for this offset (ms, positive: ahead): 0 inside the
   * deadzone. `pitchFree`: rate changes up to `pitchFreeMaxDelta` cost this
   * player no step (it resamples them); then no catch-up of an offset up to
   * `pitchFreeMaxOffsetMs` goes beyond that rate (time-stretching's −20 ms
   * entry step overshot such offsets: a 5–10 ms one became −15 ms), the
   * entry step is not feared for them, and the player rests pulled towards 0.
   * A correction that went pitch-free stays so until it ends, even if the
   * offset grows past the limit again (that ping-pong paid the step twice).
   */
  decide(offsetMs: number, catchUp = false, pitchFree = false): number {
    if (!this.supported) return 0;
    this.pitchFree = pitchFree && (this.o.pitchFreeMaxDelta ?? 0) > 0;
    const sign = Math.sign(offsetMs);
    if (this.correctingSign === 0) {
      // A fresh error (catch-up window) on a pitch-free player is closed down to exitMs: leaving the
      // rate costs it nothing, and the rest's ≤ 0.5 % took 1–3 s over a start's 4–10 ms residual.
      const enterMs = catchUp && this.pitchFree ? this.exitMs() : Math.max(this.o.enterMs, this.exitMs());
      if (Math.abs(offsetMs) <= enterMs) return this.rest(offsetMs);
      // Ahead by less than half the step a rate change costs: slowing down would leave it further off, behind.
      if (!this.pitchFree && offsetMs > 0 && offsetMs + this.entryStepMs < -offsetMs) return this.rest(offsetMs);
      this.trimSign = 0;
      this.correctingSign = sign;
    } else if (Math.abs(offsetMs) <= this.exitMs() || sign !== this.correctingSign) {
      this.correctingSign = 0;
      this.freeCorrection = false;
      return this.stretched() ? this.rest(offsetMs) : 0;
    }
    const tau = catchUp ? (this.o.catchUpTimeSeconds ?? this.o.correctionTimeSeconds) : this.o.correctionTimeSeconds;
    let max = catchUp ? Math.max(this.o.maxDelta, this.o.catchUpMaxDelta ?? 0) : this.o.maxDelta;
    // Once pitch-free, the correction stays so: going back to time-stretching would pay its step again.
    this.freeCorrection ||= this.pitchFree && Math.abs(offsetMs) <= (this.o.pitchFreeMaxOffsetMs ?? 0);
    if (this.pitchFree && this.freeCorrection) max = Math.min(max, this.o.pitchFreeMaxDelta ?? max);
    const wanted = offsetMs / 1000 / tau;
    const magnitude = Math.min(max, Math.max(this.minDelta, Math.abs(wanted)));
    return -Math.sign(offsetMs) * magnitude;
  }

  /** Whether a rate change of `delta` from decide() is pitch-free (costs no time-stretch step). */
  isPitchFree(delta: number): boolean {
    return this.pitchFree && Math.abs(delta) <= (this.o.pitchFreeMaxDelta ?? 0) + 1e-9;
  }

  /**
   * A player that pays a step beyond the deadzone for leaving the timeline's
   * rate (and takes trims) is never brought back to it once it left: it rests at ± the trim
   * rate, pulled towards 0 (the sign flips beyond exitMs on the other side),
   * so it pays the step once per start instead of once per correction.
   */
  private stretched(): boolean {
    const delta = this.o.trimDelta ?? 0;
    if (delta <= 0 || this.trimRefused || this.minDelta > this.o.minDelta) return false;
    if (this.pitchFree) return true; // resting off the rate costs nothing there, and pulls continuously
    // Exactly where trim() gives up (a step beyond exitMs): no player is left resting anywhere inside the deadzone.
    return this.trimStepped || Math.abs(this.entryStepMs) > this.o.exitMs;
  }

  /**
   * The stretched rest: a proportional pull towards 0 (offset / restTimeSeconds),
   * at most ± the trim, at least 5 % of it so the player never returns to
   * exactly the timeline's rate; its direction flips once the offset is
   * beyond 1 ms on the other side. (A constant ± the trim flipping at ±3 ms
   * kept every Chromium viewer swinging ±3 ms, a triangle of 2 ms/s.)
   */
  private rest(offsetMs: number): number {
    if (!this.stretched()) return this.trim(offsetMs);
    const max = this.o.trimDelta ?? 0;
    if (Math.abs(offsetMs) > REST_FLIP_MS) this.restSign = -Math.sign(offsetMs);
    else if (this.restSign === 0) this.restSign = offsetMs > 0 ? -1 : 1;
    const tau = this.o.restTimeSeconds ?? 0;
    if (!(tau > 0)) return this.restSign * max;
    // Only an offset on the side the rest pulls from counts; a slight overshoot keeps the floor.
    const pulling = Math.sign(offsetMs) === -this.restSign ? Math.abs(offsetMs) / 1000 / tau : 0;
    const stepped = Math.round(pulling / REST_GRANULARITY) * REST_GRANULARITY;
    // Pitch-free, a wider pull costs no step: an offset just inside the deadzone closes in ~1 s, not ~4 s.
    const cap = this.pitchFree ? Math.max(max, this.o.pitchFreeRestDelta ?? 0) : max;
    return this.restSign * Math.min(cap, Math.max(max * REST_FLOOR_SHARE, stepped));
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

  /** What leaving the timeline's rate costs this player, as learned (negative: it falls behind), ms. */
  get rateEntryStepMs(): number {
    return this.entryStepMs;
  }

  /** True while a trim is being applied. */
  get trimming(): boolean {
    return this.trimSign !== 0;
  }

  /**
   * The filtered offset stepped by `stepMs` while a trim was applied. A trim
   * moves the offset by a fraction of a ms per tick, so a step of several ms
   * is the player paying for the rate change itself (Chromium: entering its
   * time-stretching costs 15–25 ms of media time): a trim that returns to the
   * rate pays it again, so from then on the player rests stretched (see
   * stretched()) instead — before, it was left alone anywhere inside the
   * deadzone, and bench:browser showed viewers resting at +7 ms and −5 ms.
   */
  stepWhileTrimming(stepMs: number, limitMs: number): void {
    if (this.trimSign !== 0 && Math.abs(stepMs) > limitMs) {
      this.trimStepped = true;
      this.trimSign = 0;
    }
  }

  /**
   * The step the filtered offset took (beyond the rate's slope) in the ticks
   * right after a correction left the timeline's rate: learned as an
   * average, so slowing down an offset the step alone would overshoot is
   * not started.
   */
  learnEntryStep(stepMs: number): void {
    this.entryStepMs += (stepMs - this.entryStepMs) * 0.5;
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
