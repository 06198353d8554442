import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RateController } from "../../../src/client/sync/rate-controller.js";
import { BASE_RATE_OPTIONS, harness } from "./sync-harness.js";

const rateOptions = {
  ...BASE_RATE_OPTIONS,
  trimDelta: 0.002,
  restTimeSeconds: 1,
  pitchFreeMaxDelta: 0.1,
  pitchFreeMaxOffsetMs: 40,
  pitchFreeRestDelta: 0.005,
};

/** Chromium as measured (docs/sync.md): −20 ms entering time-stretching; resampled rates lag ~75 ms, no step. */
const chromium = { rateEntryStepMs: 20, pitchFreeRates: true, rateLagMs: 75 };

describe("pitch-free corrections (a room at 1×)", { timeout: 10_000 }, () => {
  test("catch-up of an offset up to pitchFreeMaxOffsetMs stays within the pitch-free rate", { timeout: 2000 }, () => {
    const rc = new RateController(rateOptions);
    assert.equal(rc.decide(-30, true, true), 0.1, "30 ms behind: 10 % pitch-free, not 15 % time-stretched");
    assert.ok(rc.isPitchFree(0.1));
    const far = new RateController(rateOptions);
    assert.equal(far.decide(-60, true, true), 0.2, "60 ms behind: the full catch-up rate, worth its step");
    assert.equal(far.isPitchFree(0.2), false);
    assert.equal(far.decide(-38, true, true), 0.1, "within 40 ms: pitch-free from here on");
    assert.equal(far.decide(-42, true, true), 0.1, "and stays so while this correction lasts (back to 20 % would pay the step again)");
    assert.equal(far.decide(-1, true, true) > 0 && far.decide(-1, true, true) < 0.01, true, "the correction ends: the rest");
    assert.equal(far.decide(-60, true, true), 0.2, "a new correction of a large offset: the full rate again");
    const kept = new RateController(rateOptions);
    assert.ok(Math.abs(kept.decide(-30, true, false) - 0.15) < 1e-9, "a room at another rate: the catch-up law as before");
    assert.equal(kept.isPitchFree(0.05), false, "nothing is pitch-free there");
  });

  test("a pitch-free correction is not withheld for fear of the time-stretch step, and the player rests pulled to 0", { timeout: 2000 }, () => {
    const rc = new RateController(rateOptions);
    rc.learnEntryStep(-60);
    rc.learnEntryStep(-30); // about −30 ms per time-stretched entry
    assert.equal(rc.decide(12, false, false), -0.002, "time-stretched: 12 ms ahead − 30 ms step would be worse: only the rest");
    assert.ok(rc.decide(12, false, true) <= -0.01, "pitch-free there is no step: a real correction");
    const fresh = new RateController(rateOptions);
    assert.ok(Math.abs(fresh.decide(2, false, true) + 0.002) < 1e-9, "no step learned, pitch-free: rests pulled towards 0 (2 ms/s)");
    assert.ok(Math.abs(fresh.decide(8, false, true) + 0.005) < 1e-9, "pitch-free the rest pulls at up to 0.5 % (8 ms: ~1.5 s, not 4 s)");
    const stepped = new RateController(rateOptions);
    stepped.learnEntryStep(-40);
    assert.equal(stepped.decide(8, false, false), -0.002, "time-stretched it stays within the trim");
    assert.equal(new RateController(rateOptions).decide(2, false, false), 0, "otherwise nothing inside the deadzone before a trim");
  });

  test("a start 25 ms late is closed pitch-free, without time-stretching's step", { timeout: 5000 }, async () => {
    for (const pitchFreeRates of [true, false]) {
      const h = harness({ player: { ...chromium, pitchFreeRates, startDelayMs: 25, startPosition: 40 } });
      const tl = h.playing(40, h.serverNow());
      h.engine.setTimeline(tl); // paused at the right spot: started now, lands 25 ms late
      let worst = 0;
      let overshoot = 0;
      for (let t = 0; t < 1500; t += 10) {
        await h.clock.advanceAsync(10);
        worst = Math.min(worst, h.trueOffsetMs(tl));
        overshoot = Math.max(overshoot, h.trueOffsetMs(tl));
      }
      const moved = h.player.rateCalls.filter((r) => r.applied !== 1);
      assert.ok(moved.length > 0, "corrected by rate");
      if (pitchFreeRates) {
        assert.ok(
          moved.every((r) => r.pitchFree && Math.abs(r.applied - 1) <= 0.1 + 1e-9),
          `every correction pitch-free, ≤ 10 %: ${JSON.stringify(moved)}`,
        );
        assert.ok(worst > -34, `never further behind than the start error and the rate's lag (25 + 7.5 ms): ${worst.toFixed(1)} ms`);
        assert.ok(Math.abs(h.trueOffsetMs(tl)) < 5, `closed within 1.5 s: ${h.trueOffsetMs(tl).toFixed(1)} ms`);
        // The resampler's lag is given back when the rate returns; counted, there is no overshoot (not counted: +2.8 ms).
        assert.ok(overshoot < 1.5, `no overshoot: ${overshoot.toFixed(1)} ms`);
      } else {
        assert.ok(moved.every((r) => !r.pitchFree), "a player without pitch-free rates is never asked for one");
        assert.ok(worst < -40, `the time-stretch step shows there (what the rule avoids): ${worst.toFixed(1)} ms`);
      }
      h.engine.destroy();
    }
  });

  test("a room at a chosen rate keeps its pitch: no correction is pitch-free", { timeout: 5000 }, async () => {
    const h = harness({ player: { ...chromium, startPosition: 40.03 } });
    await h.player.play();
    const tl = { ...h.playing(40, h.serverNow()), rate: 1.5 };
    h.engine.setTimeline(tl);
    await h.clock.advanceAsync(3000);
    assert.ok(h.player.rateCalls.length > 0);
    assert.ok(h.player.rateCalls.every((r) => !r.pitchFree), JSON.stringify(h.player.rateCalls.slice(0, 3)));
    h.engine.destroy();
  });
});
