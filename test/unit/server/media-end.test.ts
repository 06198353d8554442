import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { positionAt } from "../../../src/protocol/index.js";
import { resolveConfig } from "../../../src/server/config.js";
import { createCore } from "../../../src/server/core/core.js";
import { flushRooms } from "../../../src/server/core/persistence.js";
import { CoreHarness } from "../../support/core-harness.js";

function partyRoom() {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.take();
  guest.take();
  return { h, host, guest, roomId, room: () => h.hub.rooms.get(roomId)! };
}

describe("the end of the media", { timeout: 10_000 }, () => {
  test("a guest's player reports the duration: everyone gets the timeline with it, clamped", { timeout: 30_000 }, () => {
    const { h, host, guest, roomId, room } = partyRoom();
    guest.send("media_info", { duration: 60 }, roomId);
    assert.equal(room().mediaDuration, 60);
    const st = host.last("state_update");
    assert.equal(st.payload.timeline.duration, 60);
    guest.send("media_info", { duration: 61 }, roomId);
    assert.equal(room().mediaDuration, 60, "a longer report does not move the end past what a player can reach");
    guest.send("media_info", { duration: 59.96 }, roomId);
    assert.equal(room().mediaDuration, 59.96, "the shortest duration wins");
    void h;
  });

  test("a member who may not control the room cannot end or pin it with a duration; the host's report corrects another member's", { timeout: 30_000 }, () => {
    const { h, host, guest, roomId, room } = partyRoom();
    host.send("player_event", { action: "play", position: 1800 }, roomId);
    h.clock.advance(1000);
    guest.take();
    // Short of where the room is now: not this media's duration.
    guest.send("media_info", { duration: 0.001 }, roomId);
    assert.equal(room().mediaDuration, null, "a guest's duration before the room's position is not taken");
    assert.equal(guest.take("player_event").length, 0, "the room was not ended");
    assert.equal(room().timeline.play_state, "playing");
    // Past the position, with no controller's duration known: taken (a guest's player is often the first to know)...
    guest.send("media_info", { duration: 1805 }, roomId);
    assert.equal(room().mediaDuration, 1805);
    // ...and the host's player, knowing better, replaces it, even though it is longer.
    host.send("media_info", { duration: 7200 }, roomId);
    assert.equal(room().mediaDuration, 7200, "the host's report replaces a guest's");
    guest.send("media_info", { duration: 1900 }, roomId);
    assert.equal(room().mediaDuration, 7200, "a guest cannot shorten a controller's duration");
    host.send("media_info", { duration: 7199.96 }, roomId);
    assert.equal(room().mediaDuration, 7199.96, "among controllers' reports the shortest stays");
    host.send("media_info", { duration: 7300 }, roomId);
    assert.equal(room().mediaDuration, 7199.96);
  });

  test("with shared control every member is a controller for the duration too", { timeout: 30_000 }, () => {
    const { guest, host, roomId, room } = partyRoom();
    host.send("room_settings", { shared_control: true }, roomId);
    guest.send("media_info", { duration: 50 }, roomId);
    host.send("media_info", { duration: 40 }, roomId);
    guest.send("media_info", { duration: 45 }, roomId);
    assert.equal(room().mediaDuration, 40);
  });

  test("at the end a playing room pauses at the duration, once, by the server", { timeout: 30_000 }, () => {
    const { h, host, guest, roomId, room } = partyRoom();
    host.send("media_info", { duration: 30 }, roomId);
    host.send("player_event", { action: "play", position: 25 }, roomId);
    guest.take();
    h.clock.advance(300 + 4999);
    assert.equal(guest.take("player_event").length, 0, "still playing just before the end");
    h.clock.advance(1 + 2000);
    const evs = guest.take("player_event");
    assert.equal(evs.length, 1, "one pause at the end");
    assert.equal(evs[0]!.payload.action, "pause");
    assert.equal(evs[0]!.payload.position, 30);
    assert.equal(evs[0]!.payload.by, "server");
    assert.equal(evs[0]!.payload.reason, "ended");
    assert.equal(room().timeline.play_state, "paused");
    h.clock.advance(20_000);
    assert.equal(guest.take("player_event").length, 0, "nothing more after the end");
  });

  test("a late joiner is told the duration, not beyond it", { timeout: 30_000 }, () => {
    const { h, host, roomId } = partyRoom();
    host.send("media_info", { duration: 30 }, roomId);
    host.send("player_event", { action: "play", position: 25 }, roomId);
    h.clock.advance(60_000);
    const late = h.join(roomId);
    const st = late.last("room_state");
    assert.equal(st.payload.state.position, 30);
    assert.equal(st.payload.state.play_state, "paused");
    assert.equal(st.payload.timeline.duration, 30);
  });

  test("seeks, plays and host reports past the end are clamped to the duration", { timeout: 30_000 }, () => {
    const { h, host, guest, roomId, room } = partyRoom();
    host.send("media_info", { duration: 30 }, roomId);
    host.send("player_event", { action: "seek", position: 45 }, roomId);
    assert.equal(guest.last("player_event").payload.position, 30);
    host.send("state_update", { position: 500, play_state: "paused" }, roomId);
    assert.equal(room().timeline.position, 30);
    host.send("player_event", { action: "play", position: 28 }, roomId);
    h.clock.advance(300);
    host.send("player_event", { action: "seek", position: positionAt(room().timeline, h.clock.now()) + 10 }, roomId);
    assert.equal(guest.last("player_event").payload.position, 30, '"+10 s" near the end stops at the end');
    h.clock.advance(400);
    assert.equal(room().timeline.play_state, "paused");
    assert.equal(positionAt(room().timeline, h.clock.now()), 30);
  });

  test("host reports that leave the line where it is keep the armed end; one that moves it re-arms, and the end still comes on time", { timeout: 30_000 }, () => {
    const { h, host, guest, roomId, room } = partyRoom();
    host.send("media_info", { duration: 30 }, roomId);
    host.send("player_event", { action: "play", position: 10 }, roomId);
    h.clock.advance(1000);
    const armed = room().endTimer;
    assert.notEqual(armed, null, "a playing room with a known duration has its end armed");
    const pending = h.clock.pending;
    for (let i = 0; i < 5; i++) {
      host.send("state_update", { position: positionAt(room().timeline, h.clock.now()), play_state: "playing" }, roomId);
      h.clock.advance(1000);
    }
    assert.equal(room().endTimer, armed, "in-tolerance reports keep the same timer");
    assert.equal(h.clock.pending, pending, "and add none");
    // A report 2 s off the line re-anchors it: the end moves, and the timer with it.
    const at = positionAt(room().timeline, h.clock.now());
    host.send("state_update", { position: at - 2, play_state: "playing" }, roomId);
    assert.notEqual(room().endTimer, armed, "a moved line re-arms the end");
    guest.take();
    // The line now reaches 30 s (30 − (at − 2)) s from here.
    const remainingMs = (30 - (at - 2)) * 1000;
    h.clock.advance(remainingMs - 5);
    assert.equal(guest.take("player_event").length, 0, "not before the moved end");
    h.clock.advance(10);
    const evs = guest.take("player_event");
    assert.equal(evs.length, 1);
    assert.equal(evs[0]!.payload.reason, "ended");
  });

  test("changing the media forgets the old duration", { timeout: 30_000 }, () => {
    const { host, roomId, room } = partyRoom();
    host.send("media_info", { duration: 30 }, roomId);
    host.send("room_settings", { media_url: "http://example.test/episode-2.mp4" }, roomId);
    assert.equal(room().mediaDuration, null);
  });

  test("moving the room to another Jellyfin item (media_id) forgets the old item's duration", { timeout: 30_000 }, () => {
    const { host, guest, roomId, room } = partyRoom();
    host.send("room_settings", { media_id: "episode-1" }, roomId);
    host.send("media_info", { duration: 30 }, roomId);
    // The next episode is longer; the host's player is at 40 s of it when the room moves there.
    host.send("room_settings", { media_id: "episode-2", start_pos: 40 }, roomId);
    assert.equal(room().mediaDuration, null, "episode 2's end is not episode 1's");
    assert.equal(room().timeline.position, 40, "the room starts where the host is, not clamped to episode 1's end");
    guest.send("media_info", { duration: 45 }, roomId);
    assert.equal(room().mediaDuration, 45, "episode 2's player reports its own, longer duration");
  });

  test("a duration that is not a positive number is refused with a coded error", { timeout: 30_000 }, () => {
    const { guest, roomId, room } = partyRoom();
    guest.send("media_info", { duration: -1 }, roomId, { id: "m1" });
    assert.equal(guest.last("error").payload.code, "invalid_payload");
    assert.equal(room().mediaDuration, null);
  });
});

test("a room restored from the store while playing keeps its duration and stops at the end", { timeout: 10_000 }, () => {
  const { h, host, roomId } = partyRoom();
  host.send("media_info", { duration: 30 }, roomId);
  host.send("player_event", { action: "play", position: 20 }, roomId);
  flushRooms(h.hub);
  // A restart: a new core on the same store (and clock).
  const restarted = createCore({ config: resolveConfig({ defaultLeadMs: 300 }), clock: h.clock, store: h.hub.store });
  const room = restarted.hub.rooms.get(roomId)!;
  assert.equal(room.mediaDuration, 30);
  assert.equal(room.timeline.play_state, "playing");
  h.clock.advance(300 + 10_000 + 400);
  assert.equal(room.timeline.play_state, "paused", "paused at the end after the restart");
  assert.equal(positionAt(room.timeline, h.clock.now()), 30);
});
