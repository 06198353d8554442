/**
 * The clock filter: keeps a sliding window of accepted samples and answers
 * "server minus local at local time t". Every sample pins the true offset
 * within ± its error bound (half its delay plus a drift allowance for its
 * age), extrapolated by the estimated skew; the answer is the middle of
 * where all those intervals overlap, so the fastest request and the fastest
 * reply need not come from the same exchange (see estimateAt()). It drops
 * delay spikes and recognises a clock jump when several consistent samples
 * disagree with the estimate far beyond their error bounds.
 */
import { type ClockSample, sampleErrorBoundMs } from "./clock-sample.js";
import type { ClockSyncTunables } from "./clock-sync-options.js";
import { SkewEstimator } from "./skew-estimator.js";

/** The estimator's share of ClockSync's tunables (the ping schedule is not its business). */
export type OffsetEstimatorOptions = Omit<
  ClockSyncTunables,
  "burstCount" | "burstIntervalMs" | "refreshIntervalMs" | "pingTimeoutMs" | "minSamplesToSync"
>;

export type SampleVerdict = "accepted" | "spike" | "suspect" | "jump";

export interface OffsetEstimate {
  offsetMs: number;
  errorBoundMs: number;
  /** Delay of the sample the estimate rests on, ms. */
  delayMs: number;
}

export class OffsetEstimator {
  private window: ClockSample[] = [];
  private suspects: ClockSample[] = [];
  private consecutiveSpikes = 0;
  private readonly skew: SkewEstimator;

  constructor(private readonly o: OffsetEstimatorOptions) {
    this.skew = new SkewEstimator({
      epochMs: o.skewEpochMs,
      maxEpochs: 40,
      minSpanMs: o.skewMinSpanMs,
      maxSkewPpm: o.maxSkewPpm,
      maxStdErrPpm: o.knownSkewAllowancePpm,
    });
  }

  /** Forget every sample: the local clock they were taken on is gone (a jump, a suspended page). */
  reset(): void {
    this.window = [];
    this.suspects = [];
    this.consecutiveSpikes = 0;
    this.skew.reset();
  }

  get sampleCount(): number {
    return this.window.length;
  }

  skewPpm(): number {
    return this.skew.skewPpm() ?? 0;
  }

  add(s: ClockSample): SampleVerdict {
    this.window = this.window.filter((w) => s.localMs - w.localMs <= this.o.windowMaxAgeMs);
    if (this.window.length === 0) return this.accept(s);
    const minDelay = Math.min(...this.window.map((w) => w.delayMs));
    const spikeLimit = minDelay * this.o.spikeDelayFactor + this.o.spikeDelayMarginMs;
    if (s.delayMs > spikeLimit && this.consecutiveSpikes < this.o.maxConsecutiveSpikes) {
      this.consecutiveSpikes++;
      return "spike";
    }
    const est = this.estimateAt(s.localMs)!;
    const allowed = s.delayMs / 2 + est.errorBoundMs + this.o.jumpMarginMs;
    if (Math.abs(s.offsetMs - est.offsetMs) <= allowed) {
      this.suspects = [];
      return this.accept(s);
    }
    // Keep only suspects that agree with this one; a lone outlier never builds up.
    this.suspects = this.suspects.filter(
      (p) => Math.abs(p.offsetMs - s.offsetMs) <= (p.delayMs + s.delayMs) / 2 + this.o.jumpMarginMs,
    );
    this.suspects.push(s);
    if (this.suspects.length < this.o.jumpConfirmSamples) return "suspect";
    this.window = this.suspects;
    this.suspects = [];
    this.consecutiveSpikes = 0;
    this.skew.reset();
    for (const w of this.window) this.skew.add(w);
    return "jump";
  }

  /** True while samples that contradict the estimate are waiting for confirmation. */
  get suspecting(): boolean {
    return this.suspects.length > 0;
  }

  /**
   * The offset at `localMs`. Each sample says the true offset lies in
   * [offset − bound, offset + bound] (a request's and a reply's delay are
   * never negative, whatever held them up: the network, a busy page or
   * server loop); the answer is the middle of the overlap of all of them,
   * its bound half the overlap's width. The overlap's upper edge is set by
   * the fastest request in the window, its lower edge by the fastest reply:
   * with independent jitter each way they come from different exchanges,
   * so this is closer than any one sample (in bench:browser, 50 ± 20 ms
   * each way, the best single exchange still carried 5–10 ms of asymmetry).
   * If the intervals do not overlap (a drift beyond the allowance), the
   * best samples are averaged as before.
   */
  estimateAt(localMs: number): OffsetEstimate | null {
    const skewPpm = this.skew.skewPpm();
    const allowance = skewPpm === null ? this.o.unknownSkewAllowancePpm : this.o.knownSkewAllowancePpm;
    const bounds = this.window.map((w) => sampleErrorBoundMs(w, localMs, allowance));
    const bestBound = Math.min(...bounds);
    if (!Number.isFinite(bestBound)) return null;
    const overlap = this.overlapAt(localMs, bounds, skewPpm ?? 0);
    if (overlap) return { ...overlap, delayMs: this.window[bounds.indexOf(bestBound)]!.delayMs };
    // Average the samples nearly as good as the best (weights 1/bound²): their
    // errors are independent, so the mean is closer than any one of them.
    let sw = 0;
    let so = 0;
    let delayMs = 0;
    this.window.forEach((w, i) => {
      const bound = bounds[i]!;
      if (bound > bestBound + this.o.combineMarginMs) return;
      const weight = 1 / (bound + 1) ** 2;
      sw += weight;
      so += weight * (w.offsetMs + (localMs - w.localMs) * (skewPpm ?? 0) * 1e-6);
      if (bound === bestBound) delayMs = w.delayMs;
    });
    return { offsetMs: so / sw, errorBoundMs: bestBound, delayMs };
  }

  /** Middle and half-width of the overlap of every sample's interval at `localMs`; null when they do not overlap. */
  private overlapAt(localMs: number, bounds: number[], skewPpm: number): { offsetMs: number; errorBoundMs: number } | null {
    let lo = Number.NEGATIVE_INFINITY;
    let hi = Number.POSITIVE_INFINITY;
    this.window.forEach((w, i) => {
      const at = w.offsetMs + (localMs - w.localMs) * skewPpm * 1e-6;
      lo = Math.max(lo, at - bounds[i]!);
      hi = Math.min(hi, at + bounds[i]!);
    });
    if (!(lo <= hi)) return null;
    return { offsetMs: (lo + hi) / 2, errorBoundMs: (hi - lo) / 2 };
  }

  private accept(s: ClockSample): SampleVerdict {
    this.consecutiveSpikes = 0;
    this.window.push(s);
    if (this.window.length > this.o.windowSize) this.window.shift();
    this.skew.add(s);
    return "accepted";
  }
}
