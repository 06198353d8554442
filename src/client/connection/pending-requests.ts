/**
 * Requests in flight on a connection. Each request carries an `id`
 * (`r1`, `r2`, …) and settles on the server's `ack` (whose `id` names it)
 * or coded `error` (whose `ref` names it); one not answered within
 * `timeoutMs` rejects with code "timeout". When the socket is lost, every
 * pending request rejects with the reason.
 */
import type { AckPayload } from "../../protocol/index.js";
import { PartyError } from "../errors.js";
import type { ConnectionTimers } from "./connection-types.js";

interface Pending {
  resolve(ack: AckPayload): void;
  reject(err: PartyError): void;
  timer: unknown;
}

export class PendingRequests {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();

  /** @param timeoutMs how long a request waits for its answer, ms. */
  constructor(
    private readonly timers: ConnectionTimers,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Starts a request of `type` under a fresh id; `write(id)` sends its
   * frame. Resolves with the ack's payload; rejects with the server's coded
   * error, with "timeout", or with the reason given to failAll.
   */
  start(type: string, write: (id: string) => void): Promise<AckPayload> {
    const id = `r${++this.seq}`;
    return new Promise<AckPayload>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new PartyError("timeout", `No answer to ${type} within ${this.timeoutMs} ms.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      write(id);
    });
  }

  /** The request `id` was answered with an ack (unknown ids are ignored). */
  resolve(id: string, ack: AckPayload): void {
    this.settle(id, (p) => p.resolve(ack));
  }

  /** The request `id` was refused with a coded error (unknown ids are ignored). */
  reject(id: string, err: PartyError): void {
    this.settle(id, (p) => p.reject(err));
  }

  /** Every pending request rejects with `err` (the socket is gone). */
  failAll(err: PartyError): void {
    for (const [id, p] of this.pending) {
      this.timers.clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  private settle(id: string, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.timers.clearTimeout(p.timer);
    fn(p);
  }
}
