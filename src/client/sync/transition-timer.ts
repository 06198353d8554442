/**
 * Scheduled transitions: a play or pause the room scheduled ahead fires at
 * its instant on the estimated server clock, a start early by the player's
 * start delay so the media moves at the instant (docs/sync.md). Only a
 * change of play state is scheduled; a seek on a running line is aligned
 * by the tick. What happens at the instant is the engine's call.
 */
import { effectiveTimeline, type Timeline } from "../../protocol/index.js";
import type { EngineClock } from "./engine-types.js";

export interface TransitionTimerOptions {
  clock: Pick<EngineClock, "serverNow" | "setTimeout" | "clearTimeout" | "synced">;
  /** How early a start is told to play, ms (the learned start delay). */
  startLeadMs: () => number;
  /** The instant of `timeline` is here (less the start lead). */
  onDue: (timeline: Timeline) => void;
}

export class TransitionTimer {
  private timer: unknown = null;
  /** The line whose transition fired; until its instant has passed by our clock too, the engine waits. */
  fired: Timeline | null = null;
  /** A transition could not be scheduled yet because the clock was not synced. */
  pending = false;

  constructor(private readonly o: TransitionTimerOptions) {}

  /** A transition is scheduled and has not fired yet. */
  get armed(): boolean {
    return this.timer !== null;
  }

  /** Forgets any earlier plan and schedules the change from `prev` to `next`, if it changes the play state ahead. */
  schedule(prev: Timeline | undefined, next: Timeline | undefined): void {
    const { clock } = this.o;
    this.cancel();
    this.fired = null;
    this.pending = false;
    if (!next || !prev) return;
    if (clock.synced === false) {
      this.pending = true;
      return;
    }
    const serverNow = clock.serverNow();
    if (next.anchor_server_ts <= serverNow) return;
    // Compared with the line as it will be at its instant (a play at the media's end is a stop).
    const atInstant = effectiveTimeline(prev, next, next.anchor_server_ts).play_state;
    if (effectiveTimeline(prev, next, serverNow).play_state === atInstant) return;
    const leadMs = next.play_state === "playing" ? this.o.startLeadMs() : 0;
    const inMs = Math.max(0, next.anchor_server_ts - serverNow - leadMs);
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      this.o.onDue(next);
    }, inMs);
  }

  /** Drops the scheduled transition, if any. */
  cancel(): void {
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
