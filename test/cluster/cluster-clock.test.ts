/**
 * ClusterClock against a real redis-server: an instance clock seconds off
 * reads Redis time after calibration; a later small change of the offset
 * is slewed (time never jumps, never runs backwards), a large one stepped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Redis } from "ioredis";
import { ClusterClock } from "../../src/server/cluster/cluster-clock.js";
import { type Clock, systemClock } from "../../src/server/core/clock.js";
import { startRedis } from "../support/redis.js";

/** The system clock shifted by `skew.ms`, which the test changes. */
function shiftable(skew: { ms: number }): Clock {
  const base = systemClock();
  return { now: () => base.now() + skew.ms, setTimeout: base.setTimeout, clearTimeout: base.clearTimeout };
}

async function redisNow(redis: Redis): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Number(us) / 1000;
}

test("ClusterClock: calibrates a skewed clock to Redis TIME, slews small changes, never runs backwards", { timeout: 30_000 }, async (t) => {
  const server = await startRedis(t);
  const redis = new Redis(server.url);
  t.after(() => redis.disconnect());
  const skew = { ms: -4_000 };
  const clock = new ClusterClock(shiftable(skew));
  const before = clock.now();
  await clock.calibrate(redis);
  const r = await redisNow(redis);
  assert.ok(Math.abs(clock.now() - r) < 20, `after calibration ${clock.now() - r} ms from Redis time`);
  assert.ok(clock.now() > before + 3_000, "the first estimate is stepped (nothing was handed out yet)");
  assert.ok(Math.abs(clock.offsetMs - 4_000) < 20);

  // The instance clock moves 100 ms forward (an NTP correction): the cluster clock slews, at most 5 % of elapsed time.
  skew.ms += 100;
  await clock.calibrate(redis);
  let last = clock.now();
  const t0 = performance.now();
  while (Math.abs(clock.offsetMs - 3_900) > 1) {
    await new Promise((res) => setTimeout(res, 10));
    const now = clock.now();
    assert.ok(now >= last, "never backwards");
    last = now;
    assert.ok(performance.now() - t0 < 10_000, "slew finishes");
  }
  const took = performance.now() - t0;
  assert.ok(took >= 1_000, `a 100 ms change is slewed over ≥ 2 s at 5 % (took ${took.toFixed(0)} ms)`);
  t.diagnostic(`100 ms slewed in ${took.toFixed(0)} ms`);

  // A large change (a clock step of 2 s) is stepped at once.
  skew.ms += 2_000;
  await clock.calibrate(redis);
  assert.ok(Math.abs(clock.offsetMs - 1_900) < 20);
  assert.ok(Math.abs(clock.now() - (await redisNow(redis))) < 20);
});
