/**
 * Issue 12: Redis stopped for 10 s mid-party. No instance crashes, /health
 * says `degraded` / `redis: unreachable` while it lasts, what needs Redis is
 * refused with `cluster_unavailable`, and once Redis is back (empty: no
 * persistence) the room works again on both instances. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { balancer, startInstances } from "../support/cluster.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { sdkMember } from "../support/sdk-member.js";
import { waitFor } from "../support/wait-for.js";

async function health(httpUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${httpUrl}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const OUTAGE_MS = 10_000;

test("Redis stopped for 10 s mid-party: no crash, /health reports it, the room works after Redis returns", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis(t);
  const cluster = await startInstances(t, 2, { redisUrl: redis.url, env: { OSP_CLUSTER_KEY_PREFIX: uniquePrefix() } });
  const lb = await balancer(t, cluster.list);
  const host = await sdkMember(t, lb.url, "Ana");
  const guest = await sdkMember(t, lb.url, "Ben");
  assert.deepEqual(lb.picks, [0, 1], "host and guest on different instances");
  const room = await host.createRoom({ name: "Outage night" });
  await guest.joinRoom(room.id);
  await host.play(5);
  await waitFor(() => guest.room?.timeline.play_state === "playing", "the guest sees play");

  await redis.stop();
  const stoppedAt = Date.now();
  for (const inst of cluster.list) {
    const h = await waitFor(async () => {
      const r = await health(inst.httpUrl);
      return r.status === 503 ? r : null;
    }, `instance ${inst.port} /health to report Redis unreachable`, 15_000);
    assert.equal(h.body.status, "degraded");
    assert.equal(h.body.redis, "unreachable");
  }
  // What needs Redis is refused with a coded error, not lost silently.
  await assert.rejects(host.seek(30), (e: { code?: string }) => e.code === "cluster_unavailable");
  // The outage lasts 10 s (the scenario's length, not a guess at a delay).
  await waitFor(() => Date.now() - stoppedAt >= OUTAGE_MS, "10 s of outage", OUTAGE_MS + 5_000);
  for (const inst of cluster.list) assert.ok(inst.alive, `instance ${inst.port} is still running: ${inst.stderr}`);

  await redis.start(); // empty: no persistence
  for (const inst of cluster.list) {
    await waitFor(async () => (await health(inst.httpUrl)).status === 200, `instance ${inst.port} healthy again`, 20_000);
  }
  // The room works again across both instances.
  await waitFor(async () => {
    try {
      await host.seek(60);
      return true;
    } catch {
      return false;
    }
  }, "the host's seek accepted after Redis returned", 20_000);
  await waitFor(() => guest.room?.timeline.position === 60, "the guest follows the seek", 15_000);
  await guest.sendChat("we are back");
  await waitFor(() => host.room?.chat.some((e) => e.text === "we are back"), "chat after the outage", 15_000);
  assert.equal(host.room?.id, room.id);
  assert.equal(guest.room?.hostId, host.clientId);
  for (const inst of cluster.list) assert.ok(inst.alive, `instance ${inst.port} survived: ${inst.stderr}`);
});
