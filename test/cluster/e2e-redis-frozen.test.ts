/**
 * Redis frozen (SIGSTOP: its sockets stay open, nothing answers) while a
 * member whose socket is on one instance sends a command to the room's
 * owner on the other. Before: the forwarded frame sat in Redis' socket, the
 * member got no answer (only the SDK's own "timeout"), and when Redis woke
 * the stale seek applied and moved everyone back to where the member had
 * asked minutes ago. Now the gateway refuses a frame Redis did not take with
 * `cluster_unavailable` within Redis' command timeout, and the owner refuses
 * a forwarded frame that arrives stale (cluster/bus-inbound.ts) instead of
 * applying it. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { balancer, startInstances } from "../support/cluster.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { attachFakePlayer, sdkMember } from "../support/sdk-member.js";
import { waitFor } from "../support/wait-for.js";

const FROZEN_MS = 8_000;

test("Redis frozen: a forwarded seek is refused with cluster_unavailable in time and does not apply when Redis wakes", { timeout: 150_000 }, async (t) => {
  const redis = await startRedis(t);
  const cluster = await startInstances(t, 2, { redisUrl: redis.url, env: { OSP_CLUSTER_KEY_PREFIX: uniquePrefix() } });
  const lb = await balancer(t, cluster.list);
  const host = await sdkMember(t, lb.url, "Ana");
  const guest = await sdkMember(t, lb.url, "Ben", 15_000, { requestTimeoutMs: 4000 });
  assert.deepEqual(lb.picks, [0, 1], "host and guest on different instances");
  const room = await host.createRoom({ name: "Frozen night" });
  await host.updateSettings({ shared_control: true });
  await guest.joinRoom(room.id);
  await waitFor(() => guest.canControl, "Ben may control the room", 15_000);
  const hostPlayer = attachFakePlayer(host);
  const guestPlayer = attachFakePlayer(guest);
  await host.play(5);
  await waitFor(() => Math.abs(guestPlayer.getPosition() - hostPlayer.getPosition()) < 0.05, "players together", 20_000);

  const pid = redis.pid!;
  process.kill(pid, "SIGSTOP");
  t.after(() => {
    try {
      process.kill(pid, "SIGCONT");
    } catch {}
  });
  const frozenAt = Date.now();
  const err = await guest.seek(600).then(
    () => assert.fail("a seek through frozen Redis was acked"),
    (e: { code?: string }) => e,
  );
  const answeredMs = Date.now() - frozenAt;
  assert.equal(err.code, "cluster_unavailable", `Ben is told clearly why, not left to time out: ${JSON.stringify(err)}`);
  // The freeze lasts FROZEN_MS (the scenario's length, not a guess at a delay).
  await waitFor(() => Date.now() - frozenAt >= FROZEN_MS, "the freeze's length", FROZEN_MS + 5_000);
  process.kill(pid, "SIGCONT");

  // Ben's line after the wake-up travels the same path as his seek: once Ana reads it, the seek was handled or refused.
  await waitFor(async () => {
    try {
      await guest.sendChat("awake");
      return true;
    } catch {
      return false;
    }
  }, "Ben's chat after Redis woke", 30_000);
  await waitFor(() => host.room?.chat.some((e) => e.text === "awake"), "Ana reads Ben's line", 15_000);
  const line = host.room!.timeline;
  assert.ok(line.position < 100, `the stale seek to 600 did not apply: ${JSON.stringify(line)}`);
  let gapMs = Number.POSITIVE_INFINITY;
  await waitFor(() => {
    gapMs = Math.abs(guestPlayer.getPosition() - hostPlayer.getPosition()) * 1000;
    return gapMs < 50;
  }, "players together after the freeze", 20_000).catch((e: unknown) => assert.fail(`${String(e)}: ${gapMs.toFixed(0)} ms apart`));
  assert.ok(hostPlayer.getPosition() < 100, `Ana's player stayed on the room's line: ${hostPlayer.getPosition()}`);
  t.diagnostic(`refusal after ${answeredMs} ms; players ${gapMs.toFixed(1)} ms apart after the freeze`);
  for (const inst of cluster.list) assert.ok(inst.alive, `instance ${inst.port} survived: ${inst.stderr}`);
});
