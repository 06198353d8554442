/**
 * Noticing that this process stood still: SIGSTOP, a suspended VM or
 * laptop, swapping, a long synchronous task. Frames sent meanwhile wait in
 * the kernel and are all read in the first turn after it, maybe minutes
 * later: a seek its sender was told had failed ("timeout"), or whose moment
 * has passed, would then move everyone back to it. A timer ticks every
 * STALL_TICK_MS; a frame read more than STALL_REFUSE_MS after the last tick,
 * or in the turn whose tick came that late (libuv may run timers before
 * reading sockets after a wake-up), may be that old, and a command of STALE_SENSITIVE type is refused
 * `server_stalled` (nothing applied; the SDK sends it again within its
 * `requestTimeoutMs`, now fresh) — see connection.ts.
 */
import type { ClientType } from "../../protocol/index.js";
import type { Clock, TimerHandle } from "./clock.js";

export const STALL_TICK_MS = 250;
/** Far above the event-loop lag of a busy server (tens to hundreds of ms), well below the SDK's 10 s request timeout. */
export const STALL_REFUSE_MS = 2000;

/** What moves the room to a place or an owner: stale, it would undo what happened since. A report without an id is dropped. */
export const STALE_SENSITIVE: ReadonlySet<ClientType> = new Set(["player_event", "state_update", "room_settings", "transfer_host"]);

export class StallWatch {
  /** Local clock time of the last tick, ms. */
  lastTickAt: number;
  private timer: TimerHandle | null = null;
  /** The tick that just ran came late: frames read before the next check phase waited through the stall. */
  private waking = false;

  constructor(private readonly clock: Clock) {
    this.lastTickAt = clock.now();
  }

  start(): void {
    this.lastTickAt = this.clock.now();
    this.timer = this.clock.setTimeout(() => this.tick(), STALL_TICK_MS);
  }

  private tick(): void {
    const late = this.clock.now() - this.lastTickAt > STALL_REFUSE_MS;
    if (late) {
      // The process woke and ran its timers before reading what queued meanwhile: those frames are read in this
      // turn's poll phase, before setImmediate callbacks run.
      this.waking = true;
      setImmediate(() => {
        this.waking = false;
      });
    }
    this.start();
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Whether a frame read at `now` may have waited unread for more than STALL_REFUSE_MS. */
  stalledAt(now: number): boolean {
    return this.timer !== null && (this.waking || now - this.lastTickAt > STALL_REFUSE_MS);
  }
}
