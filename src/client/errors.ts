/** The error SDK promises reject with: the server's code, or a client-side one. */
import type { ErrorCode } from "../protocol/index.js";

export type ClientErrorCode = ErrorCode | "disconnected" | "timeout" | "closed";

export class PartyError extends Error {
  override name = "PartyError";
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: string[],
    /** When the server said to try again (its `retry_after_ms`), ms. */
    readonly retryAfterMs?: number,
    /** The request waited `offlineWaitMs` for a connection that did not come back: it was never written, and sending it again would wait as long. */
    readonly notSent = false,
  ) {
    super(message);
  }
}
