/**
 * Virtual time for the simulation: a priority queue of callbacks on the true
 * clock (ms). After each callback, pending promise reactions run before the
 * next one, so async code (player promises) behaves as on a real event loop.
 */
interface Entry {
  at: number;
  seq: number;
  fn: () => void;
}

export class SimLoop {
  now = 0;
  private seq = 0;
  private heap: Entry[] = [];
  private cancelled = new Set<number>();

  at(atMs: number, fn: () => void): number {
    const e = { at: Math.max(atMs, this.now), seq: ++this.seq, fn };
    this.push(e);
    return e.seq;
  }

  after(ms: number, fn: () => void): number {
    return this.at(this.now + Math.max(0, ms), fn);
  }

  cancel(id: number): void {
    this.cancelled.add(id);
  }

  async runUntil(endMs: number): Promise<void> {
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > endMs) break;
      this.pop();
      if (this.cancelled.delete(top.seq)) continue;
      this.now = top.at;
      top.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.now = endMs;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** A device's clock: its own epoch offset and rate error against true time. */
export class DeviceClock {
  constructor(
    private readonly loop: SimLoop,
    private readonly offsetMs: number,
    private readonly skewPpm: number,
  ) {}

  now = (): number => this.toLocal(this.loop.now);

  toLocal(trueMs: number): number {
    return this.offsetMs + trueMs * (1 + this.skewPpm * 1e-6);
  }

  toTrue(localMs: number): number {
    return (localMs - this.offsetMs) / (1 + this.skewPpm * 1e-6);
  }

  setTimeout = (fn: () => void, ms: number): unknown => this.loop.after(ms / (1 + this.skewPpm * 1e-6), fn);

  clearTimeout = (handle: unknown): void => {
    if (typeof handle === "number") this.loop.cancel(handle);
  };
}
