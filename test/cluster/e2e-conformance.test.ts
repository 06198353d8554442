/**
 * Issue 12: the seed conformance suite (test/conformance/*) with its peers
 * spread over three instances. The suite runs in a child test process with
 * OSP_TEST_CLUSTER_REDIS set: there every `startServer` is three real
 * instances on this Redis (own key prefix) behind a round-robin balancer
 * (test/support/cluster-server.ts), so a room's host, guest and late joiner
 * sit on different instances. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { startRedis } from "../support/redis.js";

test("the seed conformance suite passes with its peers on three instances", { timeout: 900_000 }, async (t) => {
  const redis = await startRedis(t);
  const child = spawn(process.execPath, ["scripts/run-tests.mjs", "test/conformance/"], {
    env: { ...process.env, OSP_TEST_CLUSTER_REDIS: redis.url, TEST_TIMEOUT_MS: "120000" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  t.after(() => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
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
  const failures = out.split("\n").filter((l) => l.startsWith("✖")).join("\n");
  assert.equal(code, 0, `the conformance run in cluster mode failed (pass ${pass}, fail ${fail}):\n${failures}\n${out.slice(-4000)}`);
  assert.equal(fail, 0);
  assert.ok(pass >= 30, `the whole suite ran (pass ${pass})`);
  t.diagnostic(`conformance in cluster mode: pass ${pass}, fail ${fail}`);
});
