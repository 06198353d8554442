/** Median of the last few offset readings: one noisy read never triggers a seek. */
export class OffsetFilter {
  private readings: number[] = [];

  constructor(private readonly size: number) {}

  push(offsetMs: number): number {
    this.readings.push(offsetMs);
    if (this.readings.length > this.size) this.readings.shift();
    const sorted = [...this.readings].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  reset(): void {
    this.readings = [];
  }
}
