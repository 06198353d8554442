/**
 * Several cluster instances in this test process: real createServer()
 * servers on port 0 sharing one real redis-server (test/support/redis.ts),
 * under one unique key prefix. Each closes in `t.after`.
 *
 * The heartbeat TTL defaults to 2 s here, not 1 s: all instances and their
 * clients share this one process, so one stall of its event loop delays
 * every instance's heartbeat at once (an instance that misses its TTL
 * self-fences and refuses, by design). Failover tests pass 1 s explicitly.
 */
import type { TestContext } from "node:test";
import type { CreateServerOptions, PartyServer } from "../../src/server/index.js";
import { startServer } from "./server.js";

export async function startInProcessCluster(
  t: Pick<TestContext, "after">,
  n: number,
  redisUrl: string,
  prefix: string,
  options: CreateServerOptions | ((i: number) => CreateServerOptions) = {},
): Promise<PartyServer[]> {
  const out: PartyServer[] = [];
  for (let i = 0; i < n; i++) {
    const extra = typeof options === "function" ? options(i) : options;
    out.push(await startServer(t, { redisUrl, clusterKeyPrefix: prefix, clusterInstanceTtlMs: 2000, ...extra }));
  }
  return out;
}
