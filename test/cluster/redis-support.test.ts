/**
 * test/support/redis.ts itself: a real redis-server that answers, stops,
 * comes back on the same port (empty, or with its data under "aof"), and dies.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Redis } from "ioredis";
import { startRedis, uniquePrefix } from "../support/redis.js";

function client(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
}

test("startRedis: answers, stop() refuses connections, start() comes back empty on the same port", { timeout: 60_000 }, async (t) => {
  const r = await startRedis(t);
  const a = client(r.url);
  await a.connect();
  const key = `${uniquePrefix()}k`;
  await a.set(key, "v");
  assert.equal(await a.get(key), "v");
  a.disconnect();
  await r.stop();
  assert.equal(r.running, false);
  const b = client(r.url);
  b.on("error", () => {});
  await assert.rejects(b.connect(), "connecting to a stopped redis-server fails");
  b.disconnect();
  await r.start();
  const c = client(r.url);
  await c.connect();
  assert.equal(await c.get(key), null, "no persistence: a restart comes back empty");
  c.disconnect();
});

test("startRedis persistence aof: data survives kill() + start()", { timeout: 60_000 }, async (t) => {
  const r = await startRedis(t, { persistence: "aof" });
  const a = client(r.url);
  await a.connect();
  await a.set("osp-aof", "kept");
  a.disconnect();
  await r.kill();
  await r.start();
  const b = client(r.url);
  await b.connect();
  assert.equal(await b.get("osp-aof"), "kept");
  b.disconnect();
});

test("uniquePrefix differs per call", { timeout: 5_000 }, () => {
  assert.notEqual(uniquePrefix(), uniquePrefix());
});
