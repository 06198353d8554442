/**
 * room_list (hub.ts roomList): largest rooms first, at most maxListedRooms,
 * built once per change — a connecting client gets the current list, never a
 * stale cached one after a room opens, grows, is renamed or closes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness } from "../../support/core-harness.js";

const ids = (payload: Array<{ id: string }>) => payload.map((r) => r.id);

test("room_list on connect: largest first, capped at maxListedRooms", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ maxListedRooms: 2 });
  const a = h.createRoom();
  const b = h.createRoom();
  const c = h.createRoom();
  h.join(c.roomId);
  h.join(c.roomId);
  h.join(b.roomId);
  assert.deepEqual(ids(h.connect().last("room_list").payload), [c.roomId, b.roomId]);
  void a;
});

test("the list a new client gets follows every change: open, count, rename, media title, close", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const first = () => h.connect().last("room_list").payload as Array<{ id: string; name: string; count: number; media_title?: string | null }>;
  const { host, roomId } = h.createRoom({ name: "Movie night" });
  assert.deepEqual(first().map((r) => [r.id, r.count]), [[roomId, 1]]);
  const guest = h.join(roomId);
  assert.equal(first()[0]?.count, 2);
  host.send("room_settings", { name: "Film night", media_title: "Alien" }, roomId);
  assert.equal(first()[0]?.name, "Film night");
  assert.equal(first()[0]?.media_title, "Alien");
  guest.send("leave_room", {}, roomId);
  assert.equal(first()[0]?.count, 1);
  host.send("leave_room", {}, roomId);
  assert.deepEqual(first(), []);
});
