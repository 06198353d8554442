/**
 * Noticing a connection that went silent. A WebSocket whose path died
 * without a close (Wi-Fi changed networks, a laptop woke from sleep, a NAT
 * forgot the flow, the server host froze) stays "open" for as long as TCP
 * keeps retrying — minutes — and a browser cannot see the server's own
 * heartbeat pings. Meanwhile the viewer's commands and chat wait and the
 * party drifts. The client always has a question out (clock pings every
 * second, requests, the server's hello after a socket opens), so: when
 * something that the server answers was sent, or a socket was opened, and
 * no frame at all has come back within `silenceTimeoutMs`, the socket is
 * given up and the connection reconnects (and resumes its session).
 *
 * The check runs twice: once `silenceTimeoutMs` after the first unanswered
 * frame, then again SILENCE_RECHECK_MS later. A process that was itself
 * stalled (a blocked event loop, a throttled tab) has its timer fire before
 * it reads the answers that queued meanwhile; the second look sees them.
 * The wait is asked for each time (a function): on a slow link it grows with
 * the round trips seen (./round-trip.ts), so a link slower than
 * `silenceTimeoutMs` is not taken for a dead one again and again.
 */
import type { ConnectionTimers } from "./connection-types.js";

/** The second look's delay, ms (see above). */
export const SILENCE_RECHECK_MS = 250;

export class SilenceWatch {
  private timer: unknown = null;
  private awaiting = false;

  /**
   * @param timeoutMs how long a question asked now may go without any frame back, ms (0: never give up).
   * @param onSilent called once per silence, with how long it lasted, ms (roughly).
   */
  constructor(
    private readonly timers: ConnectionTimers,
    private readonly timeoutMs: () => number,
    private readonly onSilent: (silentMs: number) => void,
  ) {}

  /** Something the server answers went out (a ping, a request) or a socket opened. */
  asked(): void {
    const timeoutMs = this.timeoutMs();
    if (this.awaiting || timeoutMs <= 0) return;
    this.awaiting = true;
    this.timer = this.timers.setTimeout(() => {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        if (!this.awaiting) return;
        this.awaiting = false;
        this.onSilent(timeoutMs + SILENCE_RECHECK_MS);
      }, SILENCE_RECHECK_MS);
    }, timeoutMs);
  }

  /** A frame came in (any frame: the path is alive), or the socket is gone. */
  heard(): void {
    this.awaiting = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
