/** Tunables of ClockSync, in one object; docs/sync.md says why each value. */
export interface ClockSyncTunables {
  /** Pings sent right after start() (and after a jump) to get a fast first estimate. */
  burstCount: number;
  /** Gap between burst pings, ms. */
  burstIntervalMs: number;
  /** Gap between pings once the burst is done, ms. */
  refreshIntervalMs: number;
  /** A ping unanswered this long is forgotten, ms. */
  pingTimeoutMs: number;
  /** Accepted samples kept in the min-delay window. */
  windowSize: number;
  /** Samples older than this leave the window, ms. */
  windowMaxAgeMs: number;
  /** A sample is a delay spike when its delay exceeds minDelay × factor + margin. */
  spikeDelayFactor: number;
  spikeDelayMarginMs: number;
  /** After this many spikes in a row the next one is accepted (the path got slower). */
  maxConsecutiveSpikes: number;
  /** Slack beyond the error bounds before a sample counts as contradicting the estimate, ms. */
  jumpMarginMs: number;
  /** Samples whose error bound is within this of the best one are averaged with it, ms. */
  combineMarginMs: number;
  /** Mutually consistent contradicting samples needed to declare a clock jump. */
  jumpConfirmSamples: number;
  /** Drift allowance while the skew is unknown, ppm (covers ±100 ppm crystals with margin). */
  unknownSkewAllowancePpm: number;
  /** Drift allowance once the skew is estimated, ppm. */
  knownSkewAllowancePpm: number;
  /** Skew is fitted on the best sample of each epoch of this length, ms. */
  skewEpochMs: number;
  /** Baseline needed before the skew estimate is used, ms. */
  skewMinSpanMs: number;
  /** Estimates beyond this are clamped, ppm. */
  maxSkewPpm: number;
  /** Accepted samples needed before `synced` turns true. */
  minSamplesToSync: number;
}

export const defaultClockSyncTunables: Readonly<ClockSyncTunables> = Object.freeze({
  burstCount: 8,
  burstIntervalMs: 150,
  refreshIntervalMs: 1000,
  pingTimeoutMs: 30_000,
  windowSize: 32,
  windowMaxAgeMs: 120_000,
  spikeDelayFactor: 2,
  spikeDelayMarginMs: 20,
  maxConsecutiveSpikes: 12,
  jumpMarginMs: 15,
  combineMarginMs: 5,
  jumpConfirmSamples: 3,
  unknownSkewAllowancePpm: 150,
  knownSkewAllowancePpm: 20,
  skewEpochMs: 15_000,
  skewMinSpanMs: 60_000,
  maxSkewPpm: 500,
  minSamplesToSync: 3,
});
