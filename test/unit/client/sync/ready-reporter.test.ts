/** Issue 9: which stalls reach the room (sync/ready-reporter.ts), through a SyncEngine on a FakeClock with a FakePlayer. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "../sync-harness.js";

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
