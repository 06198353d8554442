/**
 * Median of the last few offset readings, each projected to now along the
 * slope the current rate correction gives (so the filter does not lag behind
 * a correction and overshoot): one noisy read never triggers a seek.
 */
export class OffsetFilter {
  private readings: Array<{ atMs: number; offsetMs: number }> = [];

  constructor(private readonly size: number) {}

  /** Adds a reading; `slope` is how fast the offset moves now (player rate − timeline rate, ms per ms). */
  push(offsetMs: number, atMs: number, slope: number): number {
    this.readings.push({ atMs, offsetMs });
    if (this.readings.length > this.size) this.readings.shift();
    const projected = this.readings.map((r) => r.offsetMs + slope * (atMs - r.atMs)).sort((a, b) => a - b);
    return projected[Math.floor(projected.length / 2)]!;
  }

  reset(): void {
    this.readings = [];
  }
}
