/**
 * Which rooms the write before a reply covers (single instance): exactly
 * the rooms that handler changed. Rooms changed by write-behind messages
 * (a host's state_update beyond the tolerance) or by timers wait for the
 * write-behind flush, all in one write per persistIntervalMs, instead of
 * riding along with some other room's reply.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryRoomStore } from "../../../src/server/store/memory-store.js";
import type { RoomSnapshot } from "../../../src/server/store/room-store.js";
import { CoreHarness } from "../../support/core-harness.js";

/** A synchronous store that records which rooms each write saved and removed. */
class RecordingStore extends MemoryRoomStore {
  readonly writes: Array<{ save: string[]; remove: string[] }> = [];
  override write(save: RoomSnapshot[], remove: string[]): void {
    this.writes.push({ save: save.map((s) => s.id).sort(), remove: [...remove].sort() });
    super.write(save, remove);
  }
  take(): Array<{ save: string[]; remove: string[] }> {
    return this.writes.splice(0);
  }
}

/** Two playing rooms, each with a host and a guest; the store's record starts empty. */
function twoRooms() {
  const store = new RecordingStore();
  const h = new CoreHarness({ persistIntervalMs: 1000, stateUpdateToleranceSeconds: 0.25, defaultLeadMs: 300 }, store);
  const a = h.createRoom({ name: "A" });
  const b = h.createRoom({ name: "B" });
  const guestA = h.join(a.roomId);
  h.join(b.roomId);
  a.host.send("player_event", { action: "play", position: 0 }, a.roomId);
  b.host.send("player_event", { action: "play", position: 0 }, b.roomId);
  h.clock.advance(5_000);
  store.take();
  return { h, store, a, b, guestA };
}

test("a reply's write covers the rooms its handler changed, not other dirty rooms", { timeout: 10_000 }, () => {
  const { h, store, a, b } = twoRooms();
  // Room B re-anchored by its host's report: relayed at once, written behind.
  b.host.send("state_update", { position: 30, play_state: "playing" }, b.roomId);
  assert.deepEqual(store.take(), [], "a state_update is not written before its relay");
  a.host.send("player_event", { action: "seek", position: 12 }, a.roomId, { id: "s" });
  assert.deepEqual(store.take(), [{ save: [a.roomId], remove: [] }], "the seek's write holds room A only");
  assert.ok(a.host.take().some((f) => f.type === "ack" && f.payload.id === "s"), "acknowledged after its write");
  h.clock.advance(1000);
  assert.deepEqual(store.take(), [{ save: [b.roomId], remove: [] }], "room B in the write-behind flush");
  assert.equal(store.loadAll().find((r) => r.id === b.roomId)!.timeline.position, 30, "B's re-anchored line is stored");
});

test("a handler that changes two rooms writes both before its reply; a closed room is removed", { timeout: 10_000 }, () => {
  const { store, a, b, guestA } = twoRooms();
  guestA.send("join_room", {}, b.roomId, { id: "j" });
  assert.deepEqual(store.take(), [{ save: [a.roomId, b.roomId].sort(), remove: [] }], "left A and joined B in one write");
  assert.ok(guestA.take().some((f) => f.type === "ack" && f.payload.id === "j"));
  a.host.send("leave_room", {}, a.roomId, { id: "l" });
  assert.deepEqual(store.take(), [{ save: [], remove: [a.roomId] }], "the emptied room A is removed before the ack");
  assert.equal(
    store.loadAll().some((r) => r.id === a.roomId),
    false,
  );
  void b;
});

test("write-behind rooms from many reports go out together in one write per interval", { timeout: 10_000 }, () => {
  const { h, store, a, b } = twoRooms();
  a.host.send("state_update", { position: 40, play_state: "playing" }, a.roomId);
  b.host.send("state_update", { position: 50, play_state: "playing" }, b.roomId);
  h.clock.advance(999);
  assert.deepEqual(store.take(), [], "nothing before the interval");
  h.clock.advance(1);
  assert.deepEqual(store.take(), [{ save: [a.roomId, b.roomId].sort(), remove: [] }]);
});
