/** The viewer's own commands (sync/viewer-commands.ts), driven through a SyncEngine on a FakeClock with a FakePlayer. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_AHEAD_MS, harness } from "../sync-harness.js";

describe("SyncEngine: the viewer's play, pause and seek", { timeout: 30_000 }, () => {
  it("turns a controller's pause into a command and does not fight it while the room answers", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    assert.equal(h.commands.length, 1);
    assert.equal(h.commands[0]!.action, "pause");
    assert.equal(h.commands[0]!.position, h.player.truePosition());
    await h.clock.advanceAsync(400);
    assert.equal(h.player.isPaused(), true, "the engine does not restart the player");
    h.engine.setTimeline(h.paused(h.commands[0]!.position, h.serverNow() + 200), play);
    await h.clock.advanceAsync(3000);
    assert.equal(h.player.isPaused(), true);
    assert.equal(h.player.playCalls, 1, "only the initial start");
    h.engine.destroy();
  });

  it("holds a controller's play until the room's instant, so the sender starts with everyone", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true });
    const pausedTl = h.paused(20);
    h.engine.setTimeline(pausedTl);
    await h.clock.advanceAsync(500);
    h.player.userPlay();
    assert.deepEqual(h.commands, [{ action: "play", position: 20 }]);
    assert.equal(h.player.isPaused(), true, "held still until the room's instant");
    await h.clock.advanceAsync(100);
    const anchor = h.serverNow() + 300;
    h.engine.setTimeline(h.playing(20, anchor), pausedTl);
    await h.clock.advanceToAsync(anchor - SERVER_AHEAD_MS + 500);
    assert.ok(Math.abs(h.player.truePosition() - 20.5) < 0.002, `position ${h.player.truePosition()}`);
    h.engine.destroy();
  });

  it("re-syncs to the room when a controller's command gets no answer", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true, player: { seekLatencyMs: 50 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(1000);
    h.player.userSeek(80);
    await h.clock.advanceAsync(5000);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("undoes a non-controller's pause and seek instead of sending them", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 80 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    await h.clock.advanceAsync(300);
    assert.equal(h.player.isPaused(), false);
    h.player.userSeek(500);
    await h.clock.advanceAsync(2000);
    assert.deepEqual(h.commands, []);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("pauses again when a non-controller presses play in a paused room", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 50 } });
    h.engine.setTimeline(h.paused(30));
    await h.clock.advanceAsync(1000);
    h.player.userPlay();
    await h.clock.advanceAsync(150);
    assert.equal(h.player.isPaused(), true);
    await h.clock.advanceAsync(1000);
    assert.ok(Math.abs(h.player.truePosition() - 30) < 0.06, `position ${h.player.truePosition()}`);
    assert.deepEqual(h.commands, []);
    h.engine.destroy();
  });
});

describe("SyncEngine: the room's speed", { timeout: 20_000 }, () => {
  it("a controller's speed change becomes a rate command and is not fought while the room answers", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 }, canControl: true });
    await h.player.play();
    const line = h.playing(10);
    h.engine.setTimeline(line);
    await h.clock.advanceAsync(2000);
    h.player.userRate(1.5);
    assert.equal(h.commands.length, 1);
    assert.deepEqual([h.commands[0]!.action, h.commands[0]!.rate], ["play", 1.5]);
    await h.clock.advanceAsync(200);
    assert.equal(h.player.getRate(), 1.5, "the engine keeps the viewer's speed while the room answers");
    const pos = line.position + (h.serverNow() - line.anchor_server_ts) / 1000;
    h.engine.setTimeline({ position: pos, play_state: "playing", rate: 1.5, anchor_server_ts: h.serverNow() }, line);
    await h.clock.advanceAsync(3000);
    assert.ok(Math.abs(h.player.getRate() - 1.5) < 0.08, `room rate kept (micro-corrections ride on it): ${h.player.getRate()}`);
    assert.deepEqual(h.notices, []);
    h.engine.destroy();
  });

  it("a non-controller's speed change is put back, with a notice saying why", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 }, canControl: false });
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(2000);
    h.player.userRate(2);
    await h.clock.advanceAsync(100);
    assert.equal(h.commands.length, 0, "nothing sent");
    assert.ok(Math.abs(h.player.getRate() - 1) < 0.06, `back at the room's rate, got ${h.player.getRate()}`);
    assert.deepEqual(h.notices, [{ kind: "rate_reverted", reason: "not_controller", requestedRate: 2, roomRate: 1 }]);
    h.engine.destroy();
  });

  it("a non-controller's pause, play and jump are undone, with a notice only when they differ from the room", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 }, canControl: false });
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    await h.clock.advanceAsync(500);
    assert.equal(h.commands.length, 0, "nothing sent");
    assert.equal(h.player.isPaused(), false, "back to playing with the room");
    assert.deepEqual(
      h.notices.map((n) => [n.kind, "action" in n ? n.action : null, "roomPlaying" in n ? n.roomPlaying : null]),
      [["action_reverted", "pause", true]],
    );
    h.player.userPlay(); // the room plays too: nothing to explain
    h.player.userSeek(h.player.getPosition() + 0.2); // a nudge, not a jump
    await h.clock.advanceAsync(500);
    assert.equal(h.notices.length, 1, JSON.stringify(h.notices));
    h.player.userSeek(h.player.getPosition() + 30);
    await h.clock.advanceAsync(500);
    assert.deepEqual(h.notices.slice(1).map((n) => ("action" in n ? n.action : n.kind)), ["seek"]);
    h.engine.destroy();
  });

  it("a controller's speed the room never confirms is put back after the hold", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 }, canControl: true });
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(2000);
    h.player.userRate(1.25);
    await h.clock.advanceAsync(3500);
    assert.ok(Math.abs(h.player.getRate() - 1) < 0.06, `back at the room's rate, got ${h.player.getRate()}`);
    h.engine.destroy();
  });
});
