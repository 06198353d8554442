/**
 * `startServer` in cluster mode: when OSP_TEST_CLUSTER_REDIS names a Redis
 * (test/cluster/e2e-conformance.test.ts sets it for a child test run), a
 * "server" is three real instances on that Redis (own key prefix) behind the
 * round-robin balancer, so consecutive clients of one test land on different
 * instances. Options go to the instances as `serve` flags; ones without a
 * flag (a FakeClock) cannot cross a process boundary and throw.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
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

/**
 * Runs the test files matching `filters` in a child test run with every
 * `startServer` in cluster mode (three instances on the given Redis behind
 * the balancer). Resolves with the child's pass and fail counts and output.
 */
export async function runSuiteInCluster(
  t: Pick<TestContext, "after">,
  redisUrl: string,
  filters: string[],
): Promise<{ code: number | null; pass: number; fail: number; out: string }> {
  // Without NODE_TEST_CONTEXT: the child run must report as a test run of its own, not to this runner.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ["scripts/run-tests.mjs", ...filters], {
    env: { ...env, OSP_TEST_CLUSTER_REDIS: redisUrl, TEST_TIMEOUT_MS: "120000" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const pass = Number(/ℹ pass (\d+)/.exec(out)?.[1] ?? -1);
  const fail = Number(/ℹ fail (\d+)/.exec(out)?.[1] ?? -1);
  return { code, pass, fail, out };
}
