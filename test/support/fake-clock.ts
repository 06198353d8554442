/**
 * A manual clock for timing logic: `now()` only moves when a test calls
 * `advance()`/`advanceTo()`, which fires due timers in order.
 */
export class FakeClock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void; seq: number }>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now = (): number => this.current;

  setTimeout = (fn: () => void, ms: number): number => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn, seq: id });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    while (this.fireNext(target));
    this.current = Math.max(this.current, target);
  }

  /** Fires the earliest timer due by `target` (ties in creation order); false when none is due. */
  private fireNext(target: number): boolean {
    let next: [number, { at: number; fn: () => void; seq: number }] | undefined;
    for (const entry of this.timers) {
      if (entry[1].at > target) continue;
      if (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq)) next = entry;
    }
    if (!next) return false;
    this.timers.delete(next[0]);
    this.current = Math.max(this.current, next[1].at);
    next[1].fn();
    return true;
  }

  /**
   * Like advanceTo(), for code that awaits promises: after each timer fires,
   * pending promise callbacks run (one macrotask turn) before the next timer.
   */
  async advanceToAsync(target: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.fireNext(target)) await new Promise((resolve) => setImmediate(resolve));
    this.current = Math.max(this.current, target);
  }

  /** advanceToAsync() by a duration. */
  advanceAsync(ms: number): Promise<void> {
    return this.advanceToAsync(this.current + ms);
  }
}
