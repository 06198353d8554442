/**
 * Holds for the viewer's own commands. A controller's play, pause or seek
 * is shown by their player at once and sent to the room; until the room
 * answers (or `holdMs` passes) the engine holds the player still instead of
 * following the old line. A controller's speed change is the room's rate
 * meanwhile in the same way. A room that never answers is followed again.
 */

/** Where a hold stands at a tick: none, still holding, or just timed out (now dropped). */
export type HoldState = "none" | "holding" | "expired";

export class CommandHold {
  private untilMs: number | null = null;
  private rate: { rate: number; untilMs: number } | null = null;

  /** @param holdMs how long a command waits for the room's answer, ms. */
  constructor(private readonly holdMs: number) {}

  /** A command was sent at `nowMs`: hold the player until the room answers. */
  holdCommand(nowMs: number): void {
    this.untilMs = nowMs + this.holdMs;
  }

  /** A rate change was sent at `nowMs`: `rate` is the room's rate until the room answers. */
  holdRate(rate: number, nowMs: number): void {
    this.rate = { rate, untilMs: nowMs + this.holdMs };
  }

  /** A command is held (sent, not answered, not timed out). */
  get holding(): boolean {
    return this.untilMs !== null;
  }

  /** The rate held, if the room's answer carries it: it is answered. */
  rateAnswered(roomRate: number): void {
    if (this.rate && roomRate === this.rate.rate) this.rate = null;
  }

  /** A timeline arrived while a command was held: it is the answer. True when one was held. */
  commandAnswered(): boolean {
    if (this.untilMs === null) return false;
    this.untilMs = null;
    return true;
  }

  /** Where the command hold stands at `nowMs`; one that timed out is dropped. */
  commandAt(nowMs: number): HoldState {
    if (this.untilMs === null) return "none";
    if (nowMs < this.untilMs) return "holding";
    this.untilMs = null;
    return "expired";
  }

  /** Where the rate hold stands at `nowMs`; one that timed out is dropped. */
  rateAt(nowMs: number): HoldState {
    if (this.rate === null) return "none";
    if (nowMs < this.rate.untilMs) return "holding";
    this.rate = null;
    return "expired";
  }

  /** The local clock jumped: holds still pending restart from `nowMs`. */
  restart(nowMs: number): void {
    if (this.untilMs !== null) this.untilMs = nowMs + this.holdMs;
    if (this.rate !== null) this.rate.untilMs = nowMs + this.holdMs;
  }
}
