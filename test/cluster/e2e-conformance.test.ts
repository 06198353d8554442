/**
 * Issue 12: the seed conformance suite (test/conformance/*) and the SDK
 * party test (test/integration/sdk-party.test.ts) with their peers spread
 * over three instances. Each runs in a child test process with
 * OSP_TEST_CLUSTER_REDIS set: there every `startServer` is three real
 * instances on this Redis (own key prefix) behind a round-robin balancer
 * (test/support/cluster-server.ts), so a room's host, guest and late joiner
 * sit on different instances. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runSuiteInCluster } from "../support/cluster-server.js";
import { startRedis } from "../support/redis.js";

async function suite(t: Parameters<typeof runSuiteInCluster>[0] & { diagnostic(m: string): void }, filters: string[], atLeast: number) {
  const redis = await startRedis(t);
  const { code, pass, fail, out } = await runSuiteInCluster(t, redis.url, filters);
  const failures = out.split("\n").filter((l) => l.startsWith("✖")).join("\n");
  assert.equal(code, 0, `${filters} in cluster mode failed (pass ${pass}, fail ${fail}):\n${failures}\n${out.slice(-4000)}`);
  assert.equal(fail, 0);
  assert.ok(pass >= atLeast, `the whole suite ran (pass ${pass})`);
  t.diagnostic(`${filters.join(" ")} in cluster mode: pass ${pass}, fail ${fail}`);
}

test("the seed conformance suite passes with its peers on three instances", { timeout: 900_000 }, async (t) => {
  await suite(t, ["test/conformance/"], 30);
});

test("the SDK party test passes with its clients on three instances", { timeout: 300_000 }, async (t) => {
  await suite(t, ["test/integration/sdk-party"], 1);
});
