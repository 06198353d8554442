/**
 * The heartbeat tells a late renewal from a lapsed key (SET … XX first):
 * a renewal that finds its key still there means no other instance can
 * have claimed a room, so a stale spell needs no re-claim; a lapsed key is
 * set again and reported. A re-claim by the owner keeps its epoch (its
 * writes in flight stay valid); a claim by another instance after the
 * owner's key lapsed bumps it. Real redis-server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Redis } from "ioredis";
import { Heartbeat } from "../../src/server/cluster/heartbeat.js";
import { clusterKeys } from "../../src/server/cluster/keys.js";
import { Ownership } from "../../src/server/cluster/ownership.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";

test("heartbeat: lapsed on the first renewal and after the key expired, not after an on-time one", { timeout: 30_000 }, async (t) => {
  const redis = await startRedis(t);
  const r = new Redis(redis.url);
  t.after(() => r.disconnect());
  const keys = clusterKeys(uniquePrefix());
  const hb = new Heartbeat(r, keys, "inst-a", 300);
  assert.equal(await hb.beat(), true);
  assert.equal(hb.lapsed, true, "the key did not exist before the first renewal");
  assert.equal(await hb.beat(), true);
  assert.equal(hb.lapsed, false, "renewed while the key lived");
  assert.ok((await r.pttl(keys.inst("inst-a"))) > 0);
  // A renewal that comes after the TTL (a stalled event loop): the key is gone in Redis, and the heartbeat says so.
  await waitFor(async () => (await r.exists(keys.inst("inst-a"))) === 0, "the heartbeat key to expire", 5_000);
  assert.equal(hb.live, false, "stale after the TTL");
  assert.equal(await hb.beat(), true);
  assert.equal(hb.lapsed, true);
  assert.equal(hb.live, true);
  assert.equal(await r.get(keys.inst("inst-a")), "1", "set again");
});

test("claims: the owner's re-claim keeps its epoch; another instance's claim after the owner lapsed bumps it", { timeout: 30_000 }, async (t) => {
  const redis = await startRedis(t);
  const r = new Redis(redis.url);
  t.after(() => r.disconnect());
  const keys = clusterKeys(uniquePrefix());
  const a = new Ownership(r, keys, "inst-a");
  const b = new Ownership(r, keys, "inst-b");
  await r.set(keys.inst("inst-a"), "1");
  await r.set(keys.inst("inst-b"), "1");
  const first = await a.claim("room1");
  assert.deepEqual(first, { won: true, epoch: 1 });
  assert.deepEqual(await a.claim("room1"), { won: true, epoch: 1 }, "re-claim by the owner: same epoch");
  assert.deepEqual(await b.claim("room1"), { won: false, owner: "inst-a" }, "a live owner keeps the room");
  await r.del(keys.inst("inst-a"));
  assert.deepEqual(await b.claim("room1"), { won: true, epoch: 2 }, "the owner's key lapsed: taken over under a new epoch");
  await r.set(keys.inst("inst-a"), "1");
  assert.deepEqual(await a.claim("room1"), { won: false, owner: "inst-b" }, "the old owner cannot take it back while b lives");
  assert.equal(a.fence("room1"), null);
});
