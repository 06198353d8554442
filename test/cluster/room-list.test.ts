/**
 * room_list across instances follows the single-instance rule exactly —
 * most members first, then the oldest, at most maxListedRooms — whichever
 * instance holds each room, and every instance's lobby sessions get the
 * same list as counts change (the lobby mirror's incremental ranking,
 * src/server/core/room-ranking.ts, merged with the instance's own).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

type Listed = Array<{ id: string; count: number }>;

test("room_list over two instances: same order and cap as one server, on both", { timeout: 90_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await startInProcessCluster(t, 2, redis.url, uniquePrefix(), { maxListedRooms: 3 });
  const servers = [a!, b!];
  /** Creates a room through instance `on` (its owner) and brings it to `members` members, joining through either instance. */
  async function room(on: number, members: number): Promise<{ id: string; clients: TestClient[] }> {
    const host = await TestClient.connect(t, servers[on]!.url);
    host.send("create_room", { name: `r${on}`, start_pos: 0 });
    const { room: id } = await host.next("room_state");
    const clients = [host];
    for (let i = 1; i < members; i++) {
      const g = await TestClient.connect(t, servers[i % 2]!.url);
      g.send("join_room", {}, id);
      await g.next("room_state");
      clients.push(g);
    }
    // Distinct creation instants, so the order among equal counts is the creation order.
    await new Promise((r) => setTimeout(r, 5));
    return { id, clients };
  }
  const a1 = await room(0, 1);
  const b1 = await room(1, 2);
  const a2 = await room(0, 3);
  const b2 = await room(1, 1);
  const watchers = await Promise.all(servers.map((s) => TestClient.connect(t, s.url)));
  const expectEverywhere = async (expected: Array<[string, number]>, what: string) => {
    for (const w of watchers) {
      const same = (m: { payload: Listed }) => JSON.stringify(m.payload.map((r) => [r.id, r.count])) === JSON.stringify(expected);
      await w.next("room_list", same, 15_000).catch(() => {
        throw new Error(`${what}: expected ${JSON.stringify(expected)}, last ${JSON.stringify(w.messages.filter((m) => m.type === "room_list").at(-1)?.payload)}`);
      });
    }
  };
  // 3 members (a), 2 (b), then the oldest of the two 1-member rooms (a1 before b2); capped at 3.
  await expectEverywhere(
    [
      [a2.id, 3],
      [b1.id, 2],
      [a1.id, 1],
    ],
    "initial",
  );
  // b2 (held by b) grows past everyone; a1 drops out of the top 3.
  for (let i = 0; i < 3; i++) {
    const g = await TestClient.connect(t, servers[i % 2]!.url);
    g.send("join_room", {}, b2.id);
    await g.next("room_state");
    b2.clients.push(g);
  }
  await expectEverywhere(
    [
      [b2.id, 4],
      [a2.id, 3],
      [b1.id, 2],
    ],
    "after b2 grew",
  );
  // a2 closes: a1 comes back in, after b1.
  for (const c of a2.clients) c.send("leave_room", {}, a2.id);
  await expectEverywhere(
    [
      [b2.id, 4],
      [b1.id, 2],
      [a1.id, 1],
    ],
    "after a2 closed",
  );
  // A client connecting now gets that list at once, on either instance.
  for (const s of servers) {
    const fresh = await TestClient.connect(t, s.url);
    const first = await fresh.next("room_list");
    assert.deepEqual(
      (first.payload as Listed).map((r) => r.id),
      [b2.id, b1.id, a1.id],
    );
  }
  await waitFor(() => a!.core.hub.rooms.size + b!.core.hub.rooms.size === 3, "three rooms left");
});
