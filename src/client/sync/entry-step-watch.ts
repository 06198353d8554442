/**
 * What leaving the timeline's rate costs. Some players jump (a step of the
 * offset) when their rate changes; right after a correction leaves the
 * rate, that step has not shown in the offset filter's median yet. The
 * steps seen over the next ticks are summed and handed to the rate policy,
 * which learns the player's entry step from them (docs/sync.md).
 */

/** Ticks after a correction left the timeline's rate over which its step is summed (the median shows it within two). */
export const ENTRY_STEP_TICKS = 2;

export class EntryStepWatch {
  private watch: { ticks: number; stepMs: number } | null = null;

  /** A correction just left the timeline's rate: sum the steps of the next ticks. */
  start(): void {
    this.watch = { ticks: 0, stepMs: 0 };
  }

  /** Stops watching (the filter was reset: its steps mean nothing now). */
  reset(): void {
    this.watch = null;
  }

  /**
   * One tick's step, ms. Returns the summed step, ms, once ENTRY_STEP_TICKS
   * were seen (and stops watching); null before, or when not watching.
   */
  push(stepMs: number): number | null {
    const w = this.watch;
    if (!w) return null;
    w.stepMs += stepMs;
    if (++w.ticks < ENTRY_STEP_TICKS) return null;
    this.watch = null;
    return w.stepMs;
  }

  /** The part of an expected entry step (ms) that has not shown yet; 0 when not watching. */
  unseenMs(expectedMs: number): number {
    return this.watch ? expectedMs - this.watch.stepMs : 0;
  }
}
