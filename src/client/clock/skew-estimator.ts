/**
 * Estimates the local clock's rate error against the server's (skew, in ppm)
 * from the best sample of each epoch, over a long baseline. Short-baseline
 * regressions over noisy samples are worse than no estimate at all (8 ms of
 * noise over 45 s is ±180 ppm), so an estimate is offered only once the
 * epochs span `minSpanMs` and its standard error is small.
 */
import type { ClockSample } from "./clock-sample.js";

export interface SkewEstimatorOptions {
  epochMs: number;
  maxEpochs: number;
  minSpanMs: number;
  maxSkewPpm: number;
  /** A fit less certain than this (standard error of the slope, ppm) is not used. */
  maxStdErrPpm: number;
}

export class SkewEstimator {
  private epochs: ClockSample[] = [];

  constructor(private readonly options: SkewEstimatorOptions) {}

  add(s: ClockSample): void {
    const last = this.epochs.at(-1);
    if (last && Math.floor(last.localMs / this.options.epochMs) === Math.floor(s.localMs / this.options.epochMs)) {
      if (s.delayMs < last.delayMs) this.epochs[this.epochs.length - 1] = s;
      return;
    }
    this.epochs.push(s);
    if (this.epochs.length > this.options.maxEpochs) this.epochs.shift();
  }

  reset(): void {
    this.epochs = [];
  }

  /** Skew in ppm (offset change per local time), or null while the baseline is too short. */
  skewPpm(): number | null {
    const e = this.epochs;
    if (e.length < 3) return null;
    const first = e[0]!;
    const last = e[e.length - 1]!;
    if (last.localMs - first.localMs < this.options.minSpanMs) return null;
    // Weighted least squares: a sample's weight falls with its delay (its error bound).
    let sw = 0;
    let sx = 0;
    let sy = 0;
    for (const s of e) {
      const w = 1 / (s.delayMs / 2 + 1) ** 2;
      sw += w;
      sx += w * (s.localMs - first.localMs);
      sy += w * s.offsetMs;
    }
    const mx = sx / sw;
    const my = sy / sw;
    let sxy = 0;
    let sxx = 0;
    for (const s of e) {
      const w = 1 / (s.delayMs / 2 + 1) ** 2;
      const dx = s.localMs - first.localMs - mx;
      sxy += w * dx * (s.offsetMs - my);
      sxx += w * dx * dx;
    }
    if (sxx <= 0) return null;
    const slope = sxy / sxx;
    // Standard error of the slope from the residuals: a fit that noise could
    // have produced is worse than none (the drift allowance covers the skew).
    let swr2 = 0;
    for (const s of e) {
      const w = 1 / (s.delayMs / 2 + 1) ** 2;
      const r = s.offsetMs - (my + slope * (s.localMs - first.localMs - mx));
      swr2 += w * r * r;
    }
    const stdErrPpm = Math.sqrt(swr2 / (e.length - 2) / sxx) * 1e6;
    if (stdErrPpm > this.options.maxStdErrPpm) return null;
    const max = this.options.maxSkewPpm;
    return Math.max(-max, Math.min(max, slope * 1e6));
  }
}
