/**
 * Reconnect delays: capped exponential backoff with full jitter, so a server
 * restart is not met by every client at the same instant.
 */
export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 300, maxDelayMs: 10_000, factor: 2 };

/** Delay before attempt `attempt` (0-based); `random` in [0, 1). */
export function backoffDelayMs(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(opts.maxDelayMs, opts.initialDelayMs * opts.factor ** attempt);
  // Half fixed, half jitter: never instantly, never all at once.
  return Math.round(cap / 2 + random() * (cap / 2));
}
