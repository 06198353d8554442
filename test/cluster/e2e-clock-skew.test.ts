/**
 * Issue 12: two instances whose system clocks are 800 ms apart (the second
 * runs under Debian's `faketime -f "+0.8s"`) keep SDK viewers on either in
 * sync: both viewers' clocks agree on server time, and their players show
 * the same position at one instant. Without a shared cluster clock the
 * viewer on the skewed instance would be 800 ms off. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { balancer, startInstances } from "../support/cluster.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { attachFakePlayer, sdkMember } from "../support/sdk-member.js";
import { waitFor } from "../support/wait-for.js";

const SKEW = "+0.8s";

test("two instances 800 ms apart keep SDK viewers in sync", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis(t);
  const cluster = await startInstances(t, 2, { redisUrl: redis.url, env: { OSP_CLUSTER_KEY_PREFIX: uniquePrefix() }, faketime: [undefined, SKEW] });
  // The skew is real: each instance's log stamp against this process's clock when the line arrived.
  const skewOf = (i: number) => {
    const line = cluster.list[i]!.logs.find((l) => l.msg === "OpenSyncParty listening")!;
    return Number(line.time) - Number(line._rx);
  };
  t.diagnostic(`instance clocks vs this process: ${skewOf(0)} ms and ${skewOf(1)} ms`);
  assert.ok(Math.abs(skewOf(0)) < 300, `instance 0 runs on the real clock (${skewOf(0)} ms)`);
  assert.ok(skewOf(1) > 500, `instance 1 runs ~800 ms ahead (${skewOf(1)} ms)`);
  const lb = await balancer(t, cluster.list);
  const a = await sdkMember(t, lb.url, "Ana"); // instance 0: real clock
  const b = await sdkMember(t, lb.url, "Ben"); // instance 1: 0.8 s ahead
  assert.deepEqual(lb.picks, [0, 1]);

  // Both viewers' clocks map to the same server time (through different instances).
  await waitFor(() => a.clock.synced && b.clock.synced, "both clocks synced");
  const apart = Math.abs(a.clock.serverNow() - b.clock.serverNow());
  assert.ok(apart < 100, `the viewers' server clocks are ${apart} ms apart (instances 800 ms apart)`);

  const room = await a.createRoom({ name: "Skew night" });
  await b.joinRoom(room.id);
  const pa = attachFakePlayer(a);
  const pb = attachFakePlayer(b);
  await a.play(10);
  await waitFor(() => !pa.isPaused() && !pb.isPaused(), "both playing");
  await waitFor(() => Math.abs(pa.getPosition() - pb.getPosition()) < 0.1, "positions within 100 ms", 15_000);
  await a.seek(20);
  await waitFor(() => pa.getPosition() >= 20 && pb.getPosition() >= 20, "both past the seek");
  await waitFor(() => Math.abs(pa.getPosition() - pb.getPosition()) < 0.1, "positions within 100 ms after the seek", 15_000);
  const gap = Math.abs(pa.getPosition() - pb.getPosition());
  t.diagnostic(`viewer positions ${Math.round(gap * 1000)} ms apart with instance clocks 800 ms apart`);
  assert.ok(gap < 0.2, `viewers ${gap} s apart`);
});
