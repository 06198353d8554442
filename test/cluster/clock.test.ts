/**
 * Instances whose own clocks disagree (here by 1.1 s: +800 ms and −300 ms)
 * still agree on server time: each runs on its clock plus its measured
 * offset to Redis TIME, so `server_ts` stamps and the clock offsets clients
 * estimate from pongs match across instances within a few ms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Clock, systemClock } from "../../src/server/core/clock.js";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { TestClient } from "../support/ws-client.js";

function skewed(ms: number): Clock {
  const base = systemClock();
  return { now: () => base.now() + ms, setTimeout: base.setTimeout, clearTimeout: base.clearTimeout };
}

/** NTP-style offset (server − client), ms, from the ping with the smallest round trip of `n`. */
async function pongOffset(cl: TestClient, n: number): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Number.POSITIVE_INFINITY };
  for (let i = 0; i < n; i++) {
    const t0 = performance.timeOrigin + performance.now();
    cl.send("ping", { client_ts: t0 });
    const pong = await cl.next("pong", (m) => m.payload.client_ts === t0);
    const t1 = performance.timeOrigin + performance.now();
    const rtt = t1 - t0 - (pong.payload.server_tx_ts - pong.payload.server_rx_ts);
    if (rtt < best.rtt) best = { rtt, offset: (pong.payload.server_rx_ts - t0 + (pong.payload.server_tx_ts - t1)) / 2 };
  }
  return best;
}

test("instances with skewed clocks agree on server_ts and pong offsets", { timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const skews = [800, -300];
  const servers = await startInProcessCluster(t, 2, redis.url, uniquePrefix(), (i) => ({ clock: skewed(skews[i]!) }));
  const clients = await Promise.all(servers.map((s) => TestClient.connect(t, s.url)));
  const offsets = [];
  for (const cl of clients) offsets.push(await pongOffset(cl, 20));
  t.diagnostic(`pong offsets: ${offsets.map((o) => `${o.offset.toFixed(2)} ms (rtt ${o.rtt.toFixed(2)})`).join(", ")}`);
  // Both instances' own clocks are 1.1 s apart; the cluster clock removes that.
  const diff = Math.abs(offsets[0]!.offset - offsets[1]!.offset);
  const bound = 5 + (offsets[0]!.rtt + offsets[1]!.rtt) / 2;
  assert.ok(diff < bound, `offsets differ by ${diff.toFixed(2)} ms (bound ${bound.toFixed(2)})`);

  // One room, a member on each instance: a command's target instant is one cluster time for both, and
  // the pong a member on the non-owner gets (answered at its gateway) is on the same time base.
  const [host, guest] = clients as [TestClient, TestClient];
  host.send("create_room", { name: "Skew", start_pos: 0 });
  const { room } = await host.next("room_state");
  guest.send("join_room", {}, room);
  await guest.next("room_state");
  host.send("player_event", { action: "play", position: 1 }, room, { id: "p" });
  const ack = await host.next("ack", (m) => m.payload.id === "p");
  const ev = await guest.next("player_event");
  assert.equal(ev.payload.target_server_ts, ack.payload.target_server_ts);
  const arrived = performance.timeOrigin + performance.now();
  // The target is "now + lead" (default lead 300 ms) in cluster time, which is this machine's time:
  // on the owner's own clock it would be 800 ms further ahead.
  const ahead = ev.payload.target_server_ts - arrived;
  assert.ok(ahead < 700, `target ${ahead.toFixed(0)} ms ahead of now`);
  const g = await pongOffset(guest, 20);
  assert.ok(Math.abs(g.offset - offsets[0]!.offset) < 5 + (g.rtt + offsets[0]!.rtt) / 2, `guest offset ${g.offset} vs ${offsets[0]!.offset}`);
});
