/**
 * What the engine follows and the standing decisions about it, shared by
 * the engine's parts: the room's newest timeline and the one it replaces,
 * whether corrections are on, the viewer's extra offset, whether the next
 * look may realign the player outright, and the catch-up window.
 */
import { positionAt, type Timeline } from "../../protocol/index.js";
import { clampExtraOffsetMs } from "./engine-options.js";

export class FollowState {
  /** The room's newest line. */
  next: Timeline | undefined;
  /** The line it replaces, in force until the newest one's anchor. */
  prev: Timeline | undefined;
  /** Rate and position corrections on (off: only commands align the player). */
  correction: boolean;
  /** The viewer's own offset from the line, ms (positive: ahead), clamped. */
  extraOffsetMs: number;
  /** The next look may seek at once (a new line, a timed-out hold, clock trouble), corrections on or off. */
  explicitAlign = false;
  /** Clock trouble was seen: once the clock is synced again, the realignment uses the catch-up law. */
  realignAfterClock = false;
  /** The engine was destroyed: nothing acts any more. */
  stopped = false;
  /** Until this local instant the start error of a start or landing is caught up with the faster law. */
  private catchUpUntilMs = Number.NEGATIVE_INFINITY;

  constructor(
    o: { correction?: boolean; extraOffsetMs?: number },
    /** How long the catch-up law applies after a start, landing or step, ms. */
    private readonly catchUpWindowMs: number,
  ) {
    this.correction = o.correction ?? true;
    this.extraOffsetMs = clampExtraOffsetMs(o.extraOffsetMs ?? 0);
  }

  /** A fresh error (a start, a landing, a step) from `nowMs` on is closed with the catch-up law. */
  openCatchUp(nowMs: number): void {
    this.catchUpUntilMs = nowMs + this.catchUpWindowMs;
  }

  /** The catch-up law applies at `nowMs`. */
  catchingUp(nowMs: number): boolean {
    return nowMs < this.catchUpUntilMs;
  }

  /** Where the player should be at server instant `serverMs` on `eff`, with the viewer's extra offset, s. */
  targetAt(eff: Timeline, serverMs: number): number {
    return positionAt(eff, serverMs) + this.extraOffsetMs / 1000;
  }
}
