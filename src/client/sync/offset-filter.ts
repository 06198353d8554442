/**
 * Median of the last few offset readings, each carried forward to now along
 * the slope that was in effect since it was taken (so the filter neither lags
 * behind a correction nor, right after a rate change, projects older
 * readings along a rate they were not taken at): one noisy read never
 * triggers a seek.
 *
 * It also tells how far the median moved beyond what the slope explains
 * since the previous reading (`stepMs`): a player that stuttered (its media
 * clock stood still for some ms on a busy machine), skipped, or paid for a
 * rate change (Chromium's time-stretching starts 15–25 ms behind) shows as a
 * step; a drift or the clock estimate's small updates do not.
 */
export class OffsetFilter {
  /** Readings carried forward to the latest reading's time. */
  private readings: number[] = [];
  private lastAtMs: number | null = null;
  private lastMedian: number | null = null;
  /** Median now − (previous median + slope × elapsed), ms; 0 right after a reset. */
  stepMs = 0;

  constructor(private readonly size: number) {}

  /**
   * Adds a reading taken at `atMs`; `slope` is how fast the offset moved
   * since the previous reading (player rate − timeline rate then, ms per ms).
   */
  push(offsetMs: number, atMs: number, slope: number): number {
    const moved = this.lastAtMs === null ? 0 : slope * (atMs - this.lastAtMs);
    this.readings = this.readings.map((r) => r + moved);
    this.readings.push(offsetMs);
    if (this.readings.length > this.size) this.readings.shift();
    const median = [...this.readings].sort((a, b) => a - b)[Math.floor(this.readings.length / 2)]!;
    this.stepMs = this.lastMedian === null ? 0 : median - (this.lastMedian + moved);
    this.lastMedian = median;
    this.lastAtMs = atMs;
    return median;
  }

  reset(): void {
    this.readings = [];
    this.lastAtMs = null;
    this.lastMedian = null;
    this.stepMs = 0;
  }
}
