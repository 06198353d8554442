/**
 * Starts a real party server on an ephemeral port for one test and closes
 * it when the test ends.
 */
import type { TestContext } from "node:test";
import { type CreateServerOptions, type PartyServer, createServer } from "../../src/server/index.js";
import { clusterRedisUrl, startClusterServer } from "./cluster-server.js";

export async function startServer(t: Pick<TestContext, "after">, options: CreateServerOptions = {}): Promise<PartyServer> {
  // Under OSP_TEST_CLUSTER_REDIS: three instances behind a round-robin balancer (test/cluster/e2e-conformance).
  if (clusterRedisUrl) return startClusterServer(t, options);
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent", ...options });
  await server.listen();
  t.after(() => server.close());
  return server;
}
