/**
 * A synchronous position estimate from asynchronous mpv notifications.
 *
 * Keeps the last reported position and the local monotonic time it was
 * reported (the anchor) and, while the media advances (playing, not seeking,
 * not stalled), extrapolates by the playback rate. Every change of the
 * advancing state first folds the elapsed time into the anchor, so a pause
 * or a rate change never makes the estimate jump.
 */
export class PositionClock {
  private anchorSeconds = 0;
  private anchorAtMs: number;
  private paused = true;
  private seeking = false;
  private stalled = false;
  private rate = 1;
  /** Upper bound for the estimate (the media's duration), when known. */
  private limitSeconds: number | null = null;

  constructor(private readonly now: () => number) {
    this.anchorAtMs = now();
  }

  /** Estimated position now, s. */
  positionSeconds(): number {
    let position = this.anchorSeconds;
    if (this.advancing()) position += ((this.now() - this.anchorAtMs) / 1000) * this.rate;
    return this.limitSeconds === null ? position : Math.min(position, this.limitSeconds);
  }

  /** mpv reported `positionSeconds` (just now, as far as we can tell). */
  report(positionSeconds: number): void {
    this.anchorSeconds = positionSeconds;
    this.anchorAtMs = this.now();
  }

  setPaused(paused: boolean): void {
    this.refold();
    this.paused = paused;
  }

  setSeeking(seeking: boolean): void {
    this.refold();
    this.seeking = seeking;
  }

  setStalled(stalled: boolean): void {
    this.refold();
    this.stalled = stalled;
  }

  setRate(rate: number): void {
    this.refold();
    this.rate = rate;
  }

  setLimit(limitSeconds: number | null): void {
    this.limitSeconds = limitSeconds;
  }

  private advancing(): boolean {
    return !this.paused && !this.seeking && !this.stalled;
  }

  private refold(): void {
    this.report(this.positionSeconds());
  }
}
