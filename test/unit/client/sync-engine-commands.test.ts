import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./sync-harness.js";

describe("SyncEngine: buffering, reports, status", { timeout: 30_000 }, () => {
  it("reports buffering as ready(false) / ready(true) and catches up afterwards", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 80 } });
    const play = h.playing(10);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.stall(1500);
    assert.equal(h.engine.status().state, "buffering");
    await h.clock.advanceAsync(1500 + 250); // each report once it has held for readyDebounceMs
    assert.deepEqual(
      h.readies.map((r) => r.ready),
      [false, true],
    );
    await h.clock.advanceAsync(2000);
    assert.ok(Math.abs(h.trueOffsetMs(play)) < 20, `offset ${h.trueOffsetMs(play)}`);
    h.engine.destroy();
  });

  it("sends a sync report every 2 s with offset, rtt and seek latency", { timeout: 30_000 }, async () => {
    const h = harness({ player: { startPosition: 10.01 }, engine: { trimRateDelta: 0 } }); // a resting 10 ms to report
    await h.player.play();
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(6100);
    assert.equal(h.reports.length, 3);
    const r = h.reports[2]!;
    assert.equal(r.rtt_ms, 80);
    assert.ok(Math.abs(r.offset_ms - 10) <= 1, `offset ${r.offset_ms}`);
    assert.equal(r.seek_latency_ms, 150);
    h.engine.destroy();
  });

  it("emits status changes and stops everything on destroy()", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 100 } });
    const states: string[] = [];
    h.engine.on("status", (s) => states.push(s.state));
    h.engine.setTimeline(h.playing(10));
    await h.clock.advanceAsync(6000);
    assert.equal(states[0], "seeking");
    assert.equal(states.at(-1), "synced");
    h.engine.destroy();
    assert.equal(h.clock.pending, 0);
    h.player.userPause();
    assert.equal(h.player.playCalls, 1);
  });
});
