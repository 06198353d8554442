/**
 * Requests the server refused with `rate_limited` (this connection sent
 * more than its bucket allows): they are sent again one at a time, in the
 * order they were refused, each after the server's `retry_after_ms`; while
 * any waits, new requests queue behind them, so the order the user made
 * them in is kept. The refusal comes before anything was applied, so a
 * retry cannot apply a request twice. Each request gives up (rejecting with
 * the last `rate_limited`) after `budgetMs` of waiting.
 */
import { PartyError } from "../errors.js";
import type { ConnectionTimers } from "./connection-types.js";

export class RatePacer {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** @param budgetMs how long one request may wait in all for the server to take it, ms. */
  constructor(
    private readonly timers: ConnectionTimers,
    private readonly budgetMs: number,
  ) {}

  /** True while requests wait their turn: a new request must queue behind them. */
  get active(): boolean {
    return this.queued > 0;
  }

  /** Sends with `send` once every request queued before is settled; `refused`: it was refused already (wait first). */
  run<T>(send: () => Promise<T>, refused?: PartyError): Promise<T> {
    this.queued++;
    const go = async (): Promise<T> => {
      let waited = 0;
      let last = refused;
      for (;;) {
        if (last) {
          const waitMs = Math.max(50, last.retryAfterMs ?? 1000);
          waited += waitMs;
          if (waited > this.budgetMs) throw last;
          await new Promise<void>((resolve) => this.timers.setTimeout(resolve, waitMs));
        }
        try {
          return await send();
        } catch (err) {
          if (!(err instanceof PartyError) || err.code !== "rate_limited") throw err;
          last = err;
        }
      }
    };
    const result = this.tail.then(go);
    this.tail = result.then(
      () => this.queued--,
      () => this.queued--,
    );
    return result;
  }
}
