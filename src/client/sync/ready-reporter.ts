/**
 * Turns the player's buffering flips into debounced `ready` reports. A
 * stall is reported (`ready:false`) only once it has lasted `debounceMs`
 * while the engine is not busy with its own seek, start or command hold —
 * the `waiting`/`seeking` those cause are not buffering. Recovery
 * (`ready:true`) is reported once the player has played `debounceMs`
 * without stalling again, so a flip-flop is one event, or none. The server
 * then waits `stallPauseAfterMs` more before pausing the room (docs/sync.md).
 */
import type { EngineClock } from "./engine-types.js";

export interface ReadyReporterDeps {
  clock: Pick<EngineClock, "setTimeout" | "clearTimeout">;
  isBuffering: () => boolean;
  /** The engine's own seek/start/hold is in progress: a stall now is its doing. */
  busy: () => boolean;
  position: () => number;
  send: (ready: boolean, position: number) => void;
  debounceMs: number;
}

export class ReadyReporter {
  private reportedUnready = false;
  private timer: unknown = null;

  constructor(private readonly d: ReadyReporterDeps) {}

  /** The player's buffering flag changed (or may have). */
  update(): void {
    this.cancel();
    const buffering = this.d.isBuffering();
    if (buffering === this.reportedUnready) return;
    this.arm();
  }

  /** Whether the server was told this member is not ready. */
  get unready(): boolean {
    return this.reportedUnready;
  }

  stop(): void {
    this.cancel();
  }

  private arm(): void {
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = null;
      const buffering = this.d.isBuffering();
      if (buffering === this.reportedUnready) return;
      if (buffering && this.d.busy()) return this.arm(); // counted from when our own action is over
      this.reportedUnready = buffering;
      this.d.send(!buffering, this.d.position());
    }, this.d.debounceMs);
  }

  private cancel(): void {
    if (this.timer !== null) this.d.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
