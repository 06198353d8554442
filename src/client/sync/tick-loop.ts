/**
 * The engine's heartbeat: a tick every `tickMs`, each one also a check of
 * the local clock. A tick that came far too early means the local clock
 * went back; one more than `clockGapMs` late means the clock jumped ahead
 * or the page or event loop was suspended. Either way every local instant
 * planned before is wrong, and the tick says so (docs/sync.md).
 */
import type { EngineClock } from "./engine-types.js";

/** "back": the local clock went back; "gap": a tick came more than clockGapMs late. */
export type ClockTrouble = "back" | "gap";

export interface TickLoopOptions {
  clock: Pick<EngineClock, "now" | "setTimeout" | "clearTimeout">;
  /** Time between ticks, ms. */
  tickMs: number;
  /** A tick later than this past its due time, ms, is a gap. */
  clockGapMs: number;
  /** One tick; `trouble` is null when the clock looked sound. */
  onTick: (trouble: ClockTrouble | null) => void;
}

export class TickLoop {
  private timer: unknown = null;
  private lastTickAtMs: number | null = null;
  private stopped = false;

  /** Starts ticking at once (the first tick is `tickMs` from now). */
  constructor(private readonly o: TickLoopOptions) {
    this.schedule();
  }

  /** No more ticks (idempotent). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const { clock, tickMs, clockGapMs } = this.o;
    this.lastTickAtMs = clock.now();
    this.timer = clock.setTimeout(() => {
      const gapMs = clock.now() - (this.lastTickAtMs ?? 0) - tickMs;
      this.o.onTick(gapMs < -tickMs ? "back" : gapMs > clockGapMs ? "gap" : null);
      if (!this.stopped) this.schedule();
    }, tickMs);
  }
}
