import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OffsetFilter } from "../../../src/client/sync/offset-filter.js";
import { RateController } from "../../../src/client/sync/rate-controller.js";
import { BASE_RATE_OPTIONS } from "./sync-harness.js";

const rateOptions = BASE_RATE_OPTIONS;

describe("accuracy: catch-up after a start and steps", { timeout: 5000 }, () => {
  test("the catch-up law closes a 50 ms start error at up to 20 %, the normal one at 5 %", { timeout: 2000 }, () => {
    assert.equal(new RateController(rateOptions).decide(-50, true), 0.2);
    assert.equal(new RateController(rateOptions).decide(-50, false), 0.05);
    assert.equal(new RateController(rateOptions).decide(60, true), -0.2);
  });

  test("a player that pays a step for leaving its rate rests stretched at ± the trim, never back at the rate", { timeout: 2000 }, () => {
    const rc = new RateController({ ...rateOptions, trimDelta: 0.002 });
    assert.equal(rc.decide(2), 0, "no step learned: inside the deadzone nothing happens");
    rc.learnEntryStep(-40); // two corrections that cost 20 ms each
    rc.learnEntryStep(-20);
    assert.ok(rc.rateEntryStepMs < -10);
    assert.equal(rc.decide(6), -0.002, "ahead inside the deadzone: rest slowed");
    assert.equal(rc.decide(1), -0.002, "within exitMs: keep the resting direction");
    assert.equal(rc.decide(-4), 0.002, "behind beyond exitMs: rest sped up");
    assert.ok(rc.decide(-30) > 0.01, "a real offset still gets a real correction");
    assert.equal(rc.decide(-2), 0.002, "a correction that ends rests stretched instead of returning to the rate");
  });

  test("the stretched rest pulls in proportion to the offset, never back to exactly the rate", { timeout: 2000 }, () => {
    const rc = new RateController({ ...rateOptions, trimDelta: 0.002, restTimeSeconds: 1 });
    rc.learnEntryStep(-40); // a player that pays ~20 ms for leaving its rate: it rests stretched
    assert.equal(rc.decide(6), -0.002, "+6 ms: the full trim (6 ms/s wanted, clamped)");
    assert.ok(Math.abs(rc.decide(1.5) + 0.0015) < 1e-9, "+1.5 ms: 1.5 ms/s, not the full trim");
    assert.ok(Math.abs(rc.decide(0.5) + 0.0005) < 1e-9, "+0.5 ms: 0.5 ms/s");
    assert.ok(Math.abs(rc.decide(0) + 0.0001) < 1e-9, "at 0: the floor, same direction (the rate itself would cost the step again)");
    assert.ok(Math.abs(rc.decide(-0.8) + 0.0001) < 1e-9, "a slight overshoot inside 1 ms: still the floor, no flip");
    assert.ok(Math.abs(rc.decide(-1.3) - 0.0013) < 1e-9, "beyond 1 ms on the other side: flips and pulls back");
    // Without a time constant it is the constant ± trim of before.
    const flat = new RateController({ ...rateOptions, trimDelta: 0.002 });
    flat.learnEntryStep(-40);
    assert.equal(flat.decide(0.5), -0.002);
  });

  test("no player with a rate step is left resting inside the deadzone", { timeout: 2000 }, () => {
    // A trim that cost a step (Chromium's time-stretching): from then on it rests stretched, pulled towards 0.
    const rc = new RateController({ ...rateOptions, trimDelta: 0.002 });
    let delta = 0;
    for (let i = 0; i < 10; i++) delta = rc.decide(7);
    assert.equal(delta, -0.002, "a resting +7 ms gets a trim");
    rc.stepWhileTrimming(-18, 6);
    assert.equal(rc.decide(7), -0.002, "after the trim's step: rests stretched, still pulled towards 0 (was: left at +7 ms)");
    assert.equal(rc.decide(-5), 0.002, "and the other way beyond exitMs");
    // A learned step between exitMs and enterMs (where trims are not tried): rests stretched too.
    const mid = new RateController({ ...rateOptions, trimDelta: 0.002 });
    mid.learnEntryStep(-12); // → −6 ms
    assert.equal(mid.decide(8), -0.002, "a 6 ms step: +8 ms is pulled in, not left alone");
    // A player that rounds trims away still gets nothing inside the deadzone.
    const rounded = new RateController({ ...rateOptions, trimDelta: 0.002 });
    rounded.learnEntryStep(-40);
    rounded.applied(-0.002, 0);
    assert.equal(rounded.decide(8), 0, "rounds trims away: no stretched rest either");
  });

  test("ahead by less than half the rate step: not slowed down (the step alone would overshoot)", { timeout: 2000 }, () => {
    const rc = new RateController(rateOptions); // no trims: nothing to rest on
    rc.learnEntryStep(-60);
    rc.learnEntryStep(-30); // → about −30 ms per entry
    assert.equal(rc.decide(12), 0, "12 ms ahead − 30 ms step = 18 ms behind: worse");
    assert.ok(rc.decide(20) < 0, "20 ms ahead − 30 ms step = 10 ms behind: better, slow down");
  });

  test("the offset filter carries older readings along the slope they were taken at", { timeout: 2000 }, () => {
    const f = new OffsetFilter(3);
    f.push(-50, 0, 0);
    f.push(-10, 100, 0);
    // The rate changed to +20 % after the second reading: only its last 100 ms moved the offset.
    const m = f.push(-20, 200, 0.2);
    // Carried: −50 + 20, −10 + 20, −20 → median −20 (projecting −50 over 200 ms at +20 % would give −10).
    assert.equal(m, -20);
  });

  test("the offset filter reports a step beyond what the slope explains, not a drift", { timeout: 2000 }, () => {
    const f = new OffsetFilter(3);
    for (let i = 0; i < 5; i++) f.push(2, i * 100, 0);
    assert.equal(f.stepMs, 0);
    // Correcting at +5 %: the offset grows 5 ms per tick, which is no step.
    const g = new OffsetFilter(3);
    for (let i = 0; i < 5; i++) g.push(-20 + 5 * i, i * 100, 0.05);
    assert.ok(Math.abs(g.stepMs) < 1e-9, `drift along the slope: ${g.stepMs}`);
    // The player stood still 30 ms (a stutter): after two readings the median has moved by 30.
    f.push(-28, 500, 0);
    f.push(-28, 600, 0);
    assert.ok(f.stepMs < -25, `a 30 ms stutter is a step: ${f.stepMs}`);
    f.reset();
    assert.equal(f.stepMs, 0);
  });
});

describe("the rate a viewer meant while the engine corrected", { timeout: 5000 }, () => {
  test("mpv's ] multiplies the corrected speed; a speed menu sets it outright", { timeout: 2000 }, async () => {
    const { intendedRate } = await import("../../../src/client/sync/user-rate.js");
    assert.equal(intendedRate(1.1022, 1.002), 1.1, "1.002 × 1.1: the viewer meant 1.1");
    assert.equal(intendedRate(1.5, 1.002), 1.5, "a menu's 1.5 stays 1.5");
    assert.equal(intendedRate(0.9091 * 0.998, 0.998), 0.9091, "[ from a slowed rest");
    assert.equal(intendedRate(1.25, 1), 1.25, "no correction: as reported");
  });
});
