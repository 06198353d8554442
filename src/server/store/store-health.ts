/**
 * Whether the room store is accepting writes. Every failed write is counted
 * (for /metrics); the first failure after success and the first success
 * after failure are logged, once each, so a full disk does not flood the
 * log. /health reports `store_failing` with the reason while it lasts.
 */
import type { CoreLogger } from "../core/logger.js";

export class StoreHealth {
  ok = true;
  /** Failed writes since start. */
  failuresTotal = 0;
  /** The last failure's message, kept after recovery for the record. */
  lastError: string | null = null;
  /** Server time of the last change between ok and failing, ms. */
  since: number;

  constructor(
    private readonly log: CoreLogger,
    now: number,
  ) {
    this.since = now;
  }

  failed(err: unknown, now: number): void {
    this.failuresTotal++;
    this.lastError = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    if (!this.ok) return;
    this.ok = false;
    this.since = now;
    this.log.error({ err, reason: this.lastError }, "room store write failed; rooms stay in memory and are retried");
  }

  succeeded(now: number): void {
    if (this.ok) return;
    this.ok = true;
    this.since = now;
    this.log.info({ failures: this.failuresTotal }, "room store writes again; pending rooms written");
  }
}
