/**
 * Reads the player's offset from the timeline each tick: the raw reading
 * (what sync reports tell the server) and the filtered one the policy acts
 * on, with the step the filter saw (a stutter or a skip). It also watches
 * the step a correction pays for leaving the timeline's rate (EntryStepWatch).
 */
import { EntryStepWatch } from "./entry-step-watch.js";
import { OffsetFilter } from "./offset-filter.js";

export class OffsetMeter {
  /** Filtered offset less the extra offset, ms (positive: ahead); null before a reading. */
  offsetMs: number | null = null;
  /** The latest unfiltered offset, ms; null before a reading or after clock trouble. */
  rawOffsetMs: number | null = null;
  private readonly filter: OffsetFilter;
  private readonly entryStep = new EntryStepWatch();

  /** @param filterSize readings in the offset filter's window. */
  constructor(filterSize: number) {
    this.filter = new OffsetFilter(filterSize);
  }

  /**
   * One reading: `rawMs` is the player's position less the line's, ms;
   * `extraOffsetMs` the viewer's own offset; `slope` the player's rate less
   * the line's while both run (0 otherwise). Returns the filtered offset, ms.
   */
  read(rawMs: number, extraOffsetMs: number, nowMs: number, slope: number): number {
    this.rawOffsetMs = rawMs;
    const offset = this.filter.push(rawMs - extraOffsetMs, nowMs, slope);
    this.offsetMs = offset;
    return offset;
  }

  /** The step the latest reading showed, ms. */
  get stepMs(): number {
    return this.filter.stepMs;
  }

  /** Drops the readings so far (they no longer describe the player) and any entry-step watch. */
  reset(): void {
    this.filter.reset();
    this.entryStep.reset();
  }

  /** Forgets the offsets told (the clock they were read on was wrong). */
  clear(): void {
    this.rawOffsetMs = null;
    this.offsetMs = null;
  }

  /** A correction just left the timeline's rate: watch what it costs. */
  watchEntryStep(): void {
    this.entryStep.start();
  }

  /** The latest step into the entry-step watch; the summed step, ms, once the watch is complete (else null). */
  entryStepSeen(): number | null {
    return this.entryStep.push(this.filter.stepMs);
  }

  /** The part of the expected entry step (ms) that has not shown yet; 0 when not watching. */
  unseenEntryStepMs(expectedMs: number): number {
    return this.entryStep.unseenMs(expectedMs);
  }
}
