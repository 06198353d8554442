/** Issue 9: which stalls reach the room, and the room's speed. FakeClock + FakePlayer. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./sync-harness.js";

describe("SyncEngine: stalls reported to the room", { timeout: 20_000 }, () => {
  it("a stall shorter than readyDebounceMs is not reported at all", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 } });
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(2000);
    h.player.stall(200);
    await h.clock.advanceAsync(3000);
    assert.deepEqual(h.readies, []);
    h.engine.destroy();
  });

  it("a flip-flop (stall, 50 ms of play, stall again) is one stall and one recovery", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10 } });
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(2000);
    h.player.stall(600);
    await h.clock.advanceAsync(650);
    h.player.stall(600);
    await h.clock.advanceAsync(2000);
    assert.deepEqual(
      h.readies.map((r) => r.ready),
      [false, true],
    );
    h.engine.destroy();
  });

  it("the waiting that follows the engine's own seek and start is not buffering", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 300 } });
    h.engine.setTimeline(h.playing(100)); // the player is at 0: the engine seeks and starts it
    await h.clock.advanceAsync(150);
    assert.ok(h.player.seeks.length >= 1, "the engine is seeking");
    h.player.stall(400); // the element fires waiting while it fetches the new spot
    await h.clock.advanceAsync(3000);
    assert.deepEqual(h.readies, [], "nothing told to the room");
    h.engine.destroy();
  });

  it("a stall that outlasts the engine's own seek is reported, counted from the landing", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 300 } });
    h.engine.setTimeline(h.playing(100));
    await h.clock.advanceAsync(150);
    h.player.stall(3000);
    await h.clock.advanceAsync(1500);
    assert.deepEqual(
      h.readies.map((r) => r.ready),
      [false],
    );
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
