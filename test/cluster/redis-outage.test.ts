/**
 * Redis stops mid-party: no instance crashes, /health and /metrics say so,
 * what needs Redis is refused with `cluster_unavailable` (and
 * `retry_after_ms`) while pings keep working, and once Redis is back —
 * empty or with its data — the room works again for members on both
 * instances, who are sent its state again.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PartyServer } from "../../src/server/index.js";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

async function health(s: PartyServer): Promise<{ status: number; body: { status: string; redis?: string } }> {
  const res = await fetch(`${s.httpUrl}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; redis?: string } };
}

async function redisUp(s: PartyServer): Promise<string | undefined> {
  const text = await (await fetch(`${s.httpUrl}/metrics`)).text();
  return /^opensyncparty_redis_up (\d)/m.exec(text)?.[1];
}

for (const persistence of ["none", "aof"] as const) {
  const comesBack = persistence === "none" ? "empty" : "with its data";
  test(`Redis stops mid-party and comes back ${comesBack}: coded refusals, health, recovery`, { timeout: 90_000 }, async (t) => {
    const redis = await startRedis(t, { persistence });
    const [a, b] = await startInProcessCluster(t, 2, redis.url, uniquePrefix());
    const host = await TestClient.connect(t, a!.url);
    host.send("hello", { display_name: "Host" });
    host.send("create_room", { name: "Outage", start_pos: 0 });
    const { room } = await host.next("room_state");
    const guest = await TestClient.connect(t, b!.url);
    guest.send("hello", { display_name: "Guest" });
    guest.send("join_room", {}, room);
    await guest.next("room_state");
    host.send("chat_message", { text: "before" }, room, { id: "m1" });
    await host.next("ack", (m) => m.payload.id === "m1");
    await guest.next("chat_message");

    await redis.stop();
    for (const s of [a!, b!]) {
      await waitFor(async () => (await health(s)).body.redis === "unreachable", "/health to report redis unreachable", 15_000);
      const h = await health(s);
      assert.equal(h.status, 503);
      assert.equal(h.body.status, "degraded");
      assert.equal(await redisUp(s), "0");
    }
    // What needs Redis is refused with a code and a retry hint, on the owner and through a gateway.
    for (const cl of [host, guest]) {
      cl.send("chat_message", { text: "during" }, room, { id: "m2" });
      const err = await cl.error("cluster_unavailable");
      assert.equal(err.payload.ref, "m2");
      assert.ok(err.payload.retry_after_ms > 0);
      await cl.flush(); // pings still answered
    }

    await redis.start();
    for (const s of [a!, b!]) {
      await waitFor(async () => (await health(s)).status === 200, "/health to be 200 again", 20_000);
      await waitFor(async () => (await redisUp(s)) === "1", "opensyncparty_redis_up 1 again", 10_000);
    }
    // Both members are sent the room again (the owner re-claimed and rewrote it).
    for (const cl of [host, guest]) {
      const st = await cl.next("room_state", () => true, 10_000);
      assert.deepEqual(
        st.payload.chat.map((x: { text: string }) => x.text),
        ["before"],
      );
    }
    // The room works again, both ways.
    guest.send("chat_message", { text: "after" }, room, { id: "m3" });
    await guest.next("ack", (m) => m.payload.id === "m3", 10_000);
    await host.next("chat_message", (m) => m.payload.text === "after");
    host.send("player_event", { action: "play", position: 5 }, room, { id: "p" });
    await host.next("ack", (m) => m.payload.id === "p");
    await guest.next("player_event", (m) => m.payload.action === "play");
    // A newcomer on the other instance finds the room through the rebuilt lobby and joins it.
    const late = await TestClient.connect(t, b!.url);
    late.send("join_room", {}, room);
    const ls = await late.next("room_state", () => true, 10_000);
    assert.equal(ls.payload.participant_count, 3);
  });
}
