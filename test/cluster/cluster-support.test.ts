/**
 * test/support/cluster.ts itself: real instance processes on one Redis and
 * the round-robin balancer (per-connection turns, refused upstreams skipped,
 * a clear error when its port is taken).
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { test } from "node:test";
import { balancer, startInstances } from "../support/cluster.js";
import { startRedis } from "../support/redis.js";
import { TestClient } from "../support/ws-client.js";

test("instances start on one Redis; the balancer deals connections round-robin and skips a killed one", { timeout: 90_000 }, async (t) => {
  const redis = await startRedis(t);
  const cluster = await startInstances(t, 2, { redisUrl: redis.url });
  const lb = await balancer(t, cluster.list);
  for (let i = 0; i < 4; i++) {
    await TestClient.connect(t, lb.url); // resolves on client_hello
  }
  assert.deepEqual(lb.picks, [0, 1, 0, 1]);
  await cluster.kill(0);
  assert.equal(cluster.list[0]!.alive, false);
  for (let i = 0; i < 3; i++) {
    await TestClient.connect(t, lb.url); // resolves on client_hello
  }
  assert.deepEqual(lb.picks.slice(4), [1, 1, 1], "the dead upstream is skipped");
});

test("the balancer names the port when it is taken", { timeout: 30_000 }, async (t) => {
  const squatter = createServer();
  squatter.listen(0, "127.0.0.1");
  await once(squatter, "listening");
  t.after(() => squatter.close());
  const port = (squatter.address() as { port: number }).port;
  await assert.rejects(balancer(t, [1], { port }), new RegExp(`port ${port}: it is in use`));
});
