/**
 * How slow the link to the server is lately, so that waiting for an answer
 * scales with it. A fixed request timeout shorter than the link's round trip
 * (a satellite or congested mobile link: 1–5 s and more, with jitter) gave
 * up every hello and join and reconnected for ever, although each answer did
 * arrive — later. Samples: the time from opening a socket to the server's
 * client_hello (at least one round trip), each answered request (a late
 * answer to a request already given up included), each clock ping, and each
 * wait that ran out (a lower bound: the next wait is about twice as long, as
 * TCP backs off its retransmission timer).
 *
 * `waitMs(base)` is `base`, or twice the slowest recent sample plus a
 * margin when that is longer, at most MAX_WAIT_MS.
 */

/** Samples kept: the clock pings once a second, so about the last quarter-minute. */
const WINDOW = 24;
/** Slack added to twice the slowest round trip (jitter on top of it), ms. */
const MARGIN_MS = 1000;
/** No answer is waited for longer than this however slow the link, ms. */
export const MAX_WAIT_MS = 120_000;

export class RoundTrips {
  private readonly samples: number[] = [];

  /** A round trip (or a lower bound of one) took `ms`. */
  note(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples.push(ms);
    if (this.samples.length > WINDOW) this.samples.shift();
  }

  /** The slowest recent round trip, ms (0 before any). */
  get slowestMs(): number {
    return this.samples.length === 0 ? 0 : Math.max(...this.samples);
  }

  /** How long to wait for an answer on this link, given the configured `baseMs` (0 stays 0: never give up). */
  waitMs(baseMs: number): number {
    if (baseMs <= 0) return baseMs;
    const slow = this.slowestMs;
    return slow === 0 ? baseMs : Math.max(baseMs, Math.min(MAX_WAIT_MS, 2 * slow + MARGIN_MS));
  }
}
