/**
 * The cluster clock: every instance's core time is its own clock plus an
 * offset to Redis `TIME`, so `server_ts`, scheduled instants, timeline
 * anchors and pong stamps agree across instances whose system clocks
 * differ (by seconds, even). The offset is estimated NTP-style: several
 * TIME round trips, keeping the one with the smallest round trip (its
 * midpoint is the best guess), refreshed every `refreshMs`. Small changes
 * are slewed (at most 5 % of elapsed time) so `now()` never jumps; it is
 * also never allowed to run backwards.
 */
import type { Redis } from "ioredis";
import type { Clock, TimerHandle } from "../core/clock.js";

/** Offset changes larger than this are stepped at once (the first estimate, a clock step), ms. */
const STEP_MS = 250;
const SLEW_RATE = 0.05;

export class ClusterClock implements Clock {
  private offset = 0;
  private target = 0;
  private slewFrom = 0;
  private last = Number.NEGATIVE_INFINITY;
  /** Round trip of the sample the offset came from, ms (null before the first). */
  rttMs: number | null = null;

  constructor(private readonly base: Clock) {}

  now(): number {
    const b = this.base.now();
    if (this.offset !== this.target) {
      const room = (b - this.slewFrom) * SLEW_RATE;
      const diff = this.target - this.offset;
      this.offset = Math.abs(diff) <= room ? this.target : this.offset + Math.sign(diff) * room;
      this.slewFrom = b;
    }
    const t = b + this.offset;
    if (t < this.last) return this.last;
    this.last = t;
    return t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(fn, ms);
  }

  clearTimeout(handle: TimerHandle): void {
    this.base.clearTimeout(handle);
  }

  /** The current offset to Redis time, ms (cluster time − own clock). */
  get offsetMs(): number {
    return this.offset;
  }

  /** Measures the offset to Redis TIME with `samples` round trips and applies it. Rejects when Redis is unreachable. */
  async calibrate(redis: Redis, samples = 5): Promise<void> {
    let best: { rtt: number; offset: number } | null = null;
    for (let i = 0; i < samples; i++) {
      const t0 = this.base.now();
      const [sec, usec] = await redis.time();
      const t1 = this.base.now();
      const redisMs = Number(sec) * 1000 + Number(usec) / 1000;
      const rtt = t1 - t0;
      if (!best || rtt < best.rtt) best = { rtt, offset: redisMs - (t0 + t1) / 2 };
    }
    if (best) this.apply(best.offset, best.rtt);
  }

  private apply(offset: number, rtt: number): void {
    const first = this.rttMs === null;
    this.rttMs = rtt;
    this.slewFrom = this.base.now();
    this.target = offset;
    if (first || Math.abs(offset - this.offset) > STEP_MS) this.offset = offset;
    // Before the first estimate the instance serves nobody: its start-up readings must not freeze time.
    if (first) this.last = Number.NEGATIVE_INFINITY;
  }
}
