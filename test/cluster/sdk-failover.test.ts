/**
 * SDK clients behind a round-robin balancer (no stickiness) in front of
 * three instances. The instance that owns the room dies: its SDK client
 * reconnects through the balancer to another instance and resumes with the
 * same id, room and host role; the others keep a working room.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { balancer } from "../support/cluster.js";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { FakePlayer } from "../support/fake-player.js";
import { realClock } from "../support/real-clock.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";

async function member(t: { after(fn: () => void): void }, url: string, name: string) {
  const client = new PartyClient({ url, displayName: name, createSocket: nodeWebSocket });
  t.after(() => client.close());
  await client.connect();
  const player = new FakePlayer({ clock: realClock, seekLatencyMs: 30, startDelayMs: 0 });
  return { client, player };
}

test("the owner dies: its SDK client resumes through the balancer with id and role, the room goes on", { timeout: 90_000 }, async (t) => {
  const redis = await startRedis(t);
  const servers = await startInProcessCluster(t, 3, redis.url, uniquePrefix(), { clusterInstanceTtlMs: 1000 });
  const lb = await balancer(
    t,
    servers.map((s) => Number(new URL(s.httpUrl).port)),
  );
  const members: Array<Awaited<ReturnType<typeof member>>> = [];
  for (const name of ["Ana", "Ben", "Cai"]) members.push(await member(t, lb.url, name));
  const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
  const room = await a.client.createRoom({ name: "Failover party" });
  await b.client.joinRoom(room.id);
  await c.client.joinRoom(room.id);
  for (const m of members) m.client.attachPlayer(m.player);
  await a.client.play(10);
  await waitFor(() => members.every((m) => !m.player.isPaused()), "all playing", 15_000);
  const owner = servers.find((s) => s.core.hub.rooms.has(room.id))!;
  const onOwner = members.filter((m) => owner.core.hub.sessions.get(m.client.clientId)?.socket?.constructor.name === "WebSocket");
  const hostId = a.client.clientId;

  const diedAt = performance.now();
  owner.cluster!.abort();
  // Every member is in the room again with the host connected; the room runs on a survivor.
  await waitFor(
    () => servers.some((s) => s !== owner && s.core.hub.rooms.get(room.id)?.members.size === 3),
    "a survivor to run the room",
    15_000,
  );
  t.diagnostic(`room running on a survivor ${Math.round(performance.now() - diedAt)} ms after its owner died`);
  await waitFor(
    // "open": the reconnected client's handshake (resume + hello) is over, so its id is final.
    () =>
      members.every(
        (m) => m.client.connection.state === "open" && m.client.room?.id === room.id && m.client.room.participants.every((p) => p.connected),
      ),
    "every member back in the room, all connected",
    20_000,
  );
  t.diagnostic(`${onOwner.length} client(s) were connected to the dead instance; all back ${Math.round(performance.now() - diedAt)} ms after`);
  assert.equal(a.client.clientId, hostId, "the host kept its id");
  assert.ok(a.client.isHost, "the host kept its role");
  for (const m of [b, c]) assert.equal(m.client.room?.hostId, hostId);

  // The room works: the host pauses, everyone follows.
  await a.client.pause();
  await waitFor(() => members.every((m) => m.player.isPaused()), "all paused after failover", 15_000);
  await b.client.sendChat("still here");
  await waitFor(() => c.client.room?.chat.some((x) => x.text === "still here"), "chat after failover", 10_000);
});
