import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenBucket } from "../../../src/server/core/rate-limiter.js";
import { CoreHarness } from "../../support/core-harness.js";

test("token bucket: a full burst, then refill at the configured rate", { timeout: 30_000 }, () => {
  const b = new TokenBucket(10, 5, 0);
  for (let i = 0; i < 5; i++) assert.equal(b.take(0), true, `burst token ${i}`);
  assert.equal(b.take(0), false);
  assert.equal(b.retryAfterMs(), 100);
  assert.equal(b.take(99), false, "0.99 token is not enough");
  assert.equal(b.take(100), true);
  assert.equal(b.take(10_000), true);
  let taken = 0;
  while (b.take(10_000)) taken++;
  assert.equal(taken, 4, "refill never exceeds the burst");
});

test("a clock going backwards does not mint tokens", { timeout: 30_000 }, () => {
  const b = new TokenBucket(10, 1, 1000);
  assert.equal(b.take(1000), true);
  assert.equal(b.take(0), false);
});

test("a flooding connection gets one rate_limited per second and works again after refill", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ maxMessagesPerSecond: 10, messageBurst: 5 });
  const c = h.connect();
  c.take();
  for (let i = 0; i < 20; i++) c.send("ping", { client_ts: i });
  const got = c.take();
  assert.equal(got.filter((m) => m.type === "pong").length, 5);
  const limited = got.filter((m) => m.type === "error");
  assert.equal(limited.length, 1);
  assert.equal(limited[0]!.payload.code, "rate_limited");
  assert.equal(limited[0]!.payload.retry_after_ms, 100);
  h.clock.advance(1000);
  c.send("ping", { client_ts: 99 });
  assert.equal(c.last("pong").payload.client_ts, 99);
});
