import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Timeline,
  atEnd,
  clampToDuration,
  effectiveTimeline,
  endInstant,
  positionAt,
  withDuration,
} from "../../../src/protocol/index.js";

const playing = (position: number, duration?: number): Timeline => ({
  position,
  play_state: "playing",
  rate: 1,
  anchor_server_ts: 1000,
  ...(duration !== undefined ? { duration } : {}),
});

describe("timeline math with a media duration", { timeout: 5000 }, () => {
  test("positions never go past the duration, nor below 0", { timeout: 30_000 }, () => {
    assert.equal(positionAt(playing(55, 60), 1000 + 10_000), 60);
    assert.equal(positionAt(playing(55), 1000 + 10_000), 65, "unknown duration: no upper bound");
    assert.equal(positionAt({ ...playing(70, 60), play_state: "paused" }, 5000), 60);
    assert.equal(clampToDuration(-3, 60), 0);
    assert.equal(clampToDuration(61, 60), 60);
  });

  test("withDuration clamps the position and keeps the line; null forgets the duration", { timeout: 30_000 }, () => {
    assert.deepEqual(withDuration(playing(70), 60), { ...playing(60), duration: 60 });
    assert.deepEqual(withDuration(playing(10, 60), null), playing(10));
  });

  test("endInstant is when a playing line reaches the duration; none while paused or unknown", { timeout: 30_000 }, () => {
    assert.equal(endInstant(playing(50, 60)), 1000 + 10_000);
    assert.equal(endInstant({ ...playing(50, 60), rate: 2 }), 1000 + 5000);
    assert.equal(endInstant({ ...playing(50, 60), play_state: "paused" }), null);
    assert.equal(endInstant(playing(50)), null);
  });

  test("a playing line at its end reads as paused at the duration", { timeout: 30_000 }, () => {
    const t = playing(50, 60);
    assert.equal(atEnd(t, 1000 + 9999), false);
    assert.equal(atEnd(t, 1000 + 10_000), true);
    const eff = effectiveTimeline(undefined, t, 1000 + 12_000);
    assert.equal(eff.play_state, "paused");
    assert.equal(eff.position, 60);
    assert.equal(effectiveTimeline(undefined, t, 1000 + 5000).play_state, "playing");
  });

  test("a play scheduled at the end is a stop at its instant", { timeout: 30_000 }, () => {
    const prev: Timeline = { position: 60, play_state: "paused", rate: 1, anchor_server_ts: 0, duration: 60 };
    const next = playing(60, 60);
    assert.equal(effectiveTimeline(prev, next, next.anchor_server_ts).play_state, "paused");
    assert.equal(effectiveTimeline(prev, next, next.anchor_server_ts + 1000).position, 60);
  });
});
