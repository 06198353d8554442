/** Token bucket: `ratePerSecond` refill, `burst` capacity. Time comes from the caller. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is available. */
  retryAfterMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** Milliseconds from `now` until one token is available, counting the refill since the last take. */
  waitMs(now: number): number {
    const tokens = this.tokensAt(now);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.ratePerSecond) * 1000);
  }

  /** Whether the bucket has refilled to its burst by `now` (nothing to remember about its owner). */
  isFull(now: number): boolean {
    return this.tokensAt(now) >= this.burst;
  }

  private tokensAt(now: number): number {
    return Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.ratePerSecond);
  }
}
