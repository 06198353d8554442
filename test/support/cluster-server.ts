/**
 * `startServer` in cluster mode: when OSP_TEST_CLUSTER_REDIS names a Redis
 * (test/cluster/e2e-conformance.test.ts sets it for a child test run), a
 * "server" is three real instances on that Redis (own key prefix) behind the
 * round-robin balancer, so consecutive clients of one test land on different
 * instances. Options go to the instances as `serve` flags; ones without a
 * flag (a FakeClock) cannot cross a process boundary and throw.
 */
import type { TestContext } from "node:test";
import { SERVE_OPTIONS } from "../../src/cli/serve.js";
import type { CreateServerOptions, PartyServer } from "../../src/server/index.js";
import { balancer, startInstances } from "./cluster.js";
import { uniquePrefix } from "./redis.js";

/** The Redis of a cluster-mode test run, or null for the usual in-process server. */
export const clusterRedisUrl: string | null = process.env.OSP_TEST_CLUSTER_REDIS || null;

const IN_PROCESS_ONLY = new Set(["clock", "logLevel", "port", "host"]);

function flagsOf(options: CreateServerOptions): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || IN_PROCESS_ONLY.has(key)) continue;
    const spec = (SERVE_OPTIONS as Record<string, { flag: string }>)[key];
    if (!spec) throw new Error(`cluster-mode startServer: option ${key} has no serve flag`);
    args.push(`--${spec.flag}`, String(value));
  }
  return args;
}

export async function startClusterServer(t: Pick<TestContext, "after">, options: CreateServerOptions): Promise<PartyServer> {
  if ("clock" in options && options.clock) throw new Error("cluster-mode startServer: a clock cannot be given to instance processes");
  const instances = await startInstances(t, 3, {
    redisUrl: clusterRedisUrl!,
    env: { OSP_CLUSTER_KEY_PREFIX: uniquePrefix() },
    args: flagsOf(options),
  });
  const lb = await balancer(t, instances.list);
  const facade = {
    url: lb.url,
    httpUrl: lb.httpUrl,
    get core(): never {
      throw new Error("server.core is not reachable in cluster mode (the rooms live in other processes)");
    },
  };
  return facade as unknown as PartyServer;
}
