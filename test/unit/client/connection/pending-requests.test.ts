/**
 * Waits for answers follow the link (src/client/connection/round-trip.ts,
 * pending-requests.ts): a request given up is still recognised when its
 * answer comes late, that answer is told (`onLate`) and measured, and the
 * next request waits long enough for an answer that slow.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PendingRequests } from "../../../../src/client/connection/pending-requests.js";
import { MAX_WAIT_MS, RoundTrips } from "../../../../src/client/connection/round-trip.js";
import { FakeClock } from "../../../support/fake-clock.js";

const ack = (id: string) => ({ id, timeline: undefined }) as never;

test("a late answer to a request given up is told and makes the next wait long enough", { timeout: 5000 }, async () => {
  const clock = new FakeClock();
  const trips = new RoundTrips();
  const late: Array<{ type: string; ms: number; ok: boolean }> = [];
  const pending = new PendingRequests(clock, {
    waitMs: () => trips.waitMs(4000),
    now: clock.now,
    onRoundTrip: (ms) => trips.note(ms),
    onLate: (l) => late.push(l),
  });
  let firstId = "";
  const first = pending.start("hello", (id) => {
    firstId = id;
  });
  clock.advance(4000);
  await assert.rejects(first, { code: "timeout" });
  clock.advance(2000); // the answer comes 6 s after it was sent
  pending.resolve(firstId, ack(firstId));
  assert.deepEqual(late, [{ type: "hello", id: firstId, ms: 6000, ok: true }]);
  assert.equal(trips.waitMs(4000), 13_000, "twice the slowest round trip + 1 s");

  let secondId = "";
  const second = pending.start("join_room", (id) => {
    secondId = id;
  });
  clock.advance(6000);
  pending.resolve(secondId, ack(secondId));
  assert.equal((await second).id, secondId, "the next request waited for its 6 s answer");
  pending.resolve(secondId, ack(secondId)); // a duplicate answer is ignored
  assert.equal(late.length, 1);
});

test("a wait that runs out doubles the next one, up to a cap; a fast link keeps the configured wait", { timeout: 5000 }, () => {
  const trips = new RoundTrips();
  assert.equal(trips.waitMs(10_000), 10_000);
  trips.note(40);
  assert.equal(trips.waitMs(10_000), 10_000, "a fast link waits as configured");
  trips.note(10_000);
  assert.equal(trips.waitMs(10_000), 21_000);
  trips.note(21_000);
  assert.equal(trips.waitMs(10_000), 43_000);
  trips.note(500_000);
  assert.equal(trips.waitMs(10_000), MAX_WAIT_MS);
  assert.equal(trips.waitMs(0), 0, "0 (never give up) stays 0");
  for (let i = 0; i < 30; i++) trips.note(50);
  assert.equal(trips.waitMs(10_000), 10_000, "old slow samples roll out once the link is fast again");
});
