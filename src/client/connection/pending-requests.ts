/**
 * Requests in flight on a connection. Each request carries an `id`
 * (`r1`, `r2`, …) and settles on the server's `ack` (whose `id` names it)
 * or coded `error` (whose `ref` names it); one not answered within
 * the wait `waitMs()` gives when it is sent rejects with code "timeout".
 * When the socket is lost, every pending request rejects with the reason.
 *
 * A request given up is remembered for a while (the last LATE_KEPT): its
 * answer may still come, on a link slower than the wait. Every answer, late
 * ones included, is a round trip measured (`onRoundTrip`), so the next wait
 * grows with the link (./round-trip.ts); a late one is also told to `onLate`.
 */
import type { AckPayload } from "../../protocol/index.js";
import { PartyError } from "../errors.js";
import type { ConnectionTimers } from "./connection-types.js";

interface Pending {
  resolve(ack: AckPayload): void;
  reject(err: PartyError): void;
  timer: unknown;
  sentAt: number;
}

/** Given-up requests whose late answer is still recognised. */
const LATE_KEPT = 64;

export interface PendingRequestsOptions {
  /** How long a request sent now waits for its answer, ms. */
  waitMs(): number;
  /** Local monotonic clock, ms. */
  now(): number;
  /** An answer came `ms` after its request was sent. */
  onRoundTrip?(ms: number): void;
  /** The answer to a request already given up ("timeout") came, `ms` after it was sent. */
  onLate?(late: { type: string; id: string; ms: number; ok: boolean }): void;
}

export class PendingRequests {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly givenUp = new Map<string, { type: string; sentAt: number }>();

  constructor(
    private readonly timers: ConnectionTimers,
    private readonly options: PendingRequestsOptions,
  ) {}

  /**
   * Starts a request of `type` under a fresh id; `write(id)` sends its
   * frame. Resolves with the ack's payload; rejects with the server's coded
   * error, with "timeout", or with the reason given to failAll.
   */
  start(type: string, write: (id: string) => void): Promise<AckPayload> {
    const id = `r${++this.seq}`;
    const waitMs = this.options.waitMs();
    const sentAt = this.options.now();
    return new Promise<AckPayload>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        this.givenUp.set(id, { type, sentAt });
        if (this.givenUp.size > LATE_KEPT) this.givenUp.delete(this.givenUp.keys().next().value as string);
        this.options.onRoundTrip?.(waitMs); // at least this long, if the link is only slow: the next wait doubles
        reject(new PartyError("timeout", `No answer to ${type} within ${Math.round(waitMs)} ms.`));
      }, waitMs);
      this.pending.set(id, { resolve, reject, timer, sentAt });
      write(id);
    });
  }

  /** The request `id` was answered with an ack (unknown ids are ignored). */
  resolve(id: string, ack: AckPayload): void {
    this.settle(id, true, (p) => p.resolve(ack));
  }

  /** The request `id` was refused with a coded error (unknown ids are ignored). */
  reject(id: string, err: PartyError): void {
    this.settle(id, false, (p) => p.reject(err));
  }

  /** Every pending request rejects with `err` (the socket is gone). */
  failAll(err: PartyError): void {
    for (const [id, p] of this.pending) {
      this.timers.clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  private settle(id: string, ok: boolean, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return this.lateAnswer(id, ok);
    this.pending.delete(id);
    this.options.onRoundTrip?.(this.options.now() - p.sentAt);
    this.timers.clearTimeout(p.timer);
    fn(p);
  }

  private lateAnswer(id: string, ok: boolean): void {
    const g = this.givenUp.get(id);
    if (!g) return;
    this.givenUp.delete(id);
    const ms = this.options.now() - g.sentAt;
    this.options.onRoundTrip?.(ms);
    this.options.onLate?.({ type: g.type, id, ms, ok });
  }
}
