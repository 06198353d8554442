/**
 * RoomRanking (src/server/core/room-ranking.ts) keeps room_list's order one
 * change at a time: after any sequence of adds, count changes and removals
 * it lists exactly what sorting everything would (most members, then the
 * oldest, then the first ranked), and the hub's room_list built from it
 * equals a full sort of the rooms capped at maxListedRooms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RoomRanking } from "../../../src/server/core/room-ranking.js";
import { CoreHarness } from "../../support/core-harness.js";

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("random adds, count changes and removals: always the order a full sort gives", { timeout: 30_000 }, () => {
  const rnd = prng(14);
  const ranking = new RoomRanking<string>();
  // What a full sort needs: count, creation time, and first-ranked order.
  const model = new Map<string, { count: number; createdAt: number; first: number }>();
  let firstCounter = 0;
  for (let step = 0; step < 5000; step++) {
    const id = `r${Math.floor(rnd() * 300)}`;
    const op = rnd();
    if (op < 0.7) {
      const count = 1 + Math.floor(rnd() * 6);
      // Few distinct creation times, so ties on count and time are common.
      const createdAt = model.get(id)?.createdAt ?? Math.floor(rnd() * 20);
      ranking.set(id, count, createdAt, id);
      const prev = model.get(id);
      model.set(id, { count, createdAt, first: prev?.first ?? firstCounter++ });
    } else {
      assert.equal(ranking.delete(id), model.delete(id));
    }
    if (step % 97 === 0 || step === 4999) {
      const expected = [...model.entries()]
        .sort(([, a], [, b]) => b.count - a.count || a.createdAt - b.createdAt || a.first - b.first)
        .map(([k]) => k);
      assert.deepEqual(
        [...ranking.values()].map((r) => r.value),
        expected,
        `step ${step}`,
      );
      assert.equal(ranking.size, model.size);
    }
  }
});

test("the hub's room_list after a join storm equals a full sort, capped", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ maxListedRooms: 7 });
  const rnd = prng(7);
  const rooms: string[] = [];
  for (let i = 0; i < 40; i++) {
    rooms.push(h.createRoom().roomId);
    if (i % 3 === 0) h.clock.advance(5);
  }
  const guests = [];
  for (let i = 0; i < 120; i++) {
    const room = rooms[Math.floor(rnd() * rooms.length)]!;
    guests.push({ client: h.join(room), room });
    // A connecting client in between gets the list as it is now, never a stale one.
    if (i % 10 === 0) check(h);
  }
  for (const g of guests.slice(0, 50)) g.client.send("leave_room", {}, g.room);
  check(h);
});

function check(h: CoreHarness): void {
  const all = [...h.hub.rooms.values()]
    .filter((r) => !r.isPrivate)
    .map((r, i) => ({ id: r.id, count: r.members.size, createdAt: r.createdAt, i }))
    .sort((a, b) => b.count - a.count || a.createdAt - b.createdAt || a.i - b.i)
    .slice(0, 7);
  const listed = h.connect().last("room_list").payload as Array<{ id: string; count: number }>;
  assert.deepEqual(
    listed.map((r) => [r.id, r.count]),
    all.map((r) => [r.id, r.count]),
  );
}
