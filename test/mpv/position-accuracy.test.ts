/**
 * How far the synchronous, extrapolated getPosition() is from mpv's own
 * fresh `playback-time`, and how long own seeks take. Prints the numbers
 * (t.diagnostic) and fails only on gross errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { freshPlaybackTime, requireMpv, startMpv, startPlayer } from "../support/mpv.js";

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

test("extrapolated position tracks fresh playback-time; seek latency", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const probe = player.ipc;

  await player.seek(2);
  await player.play();
  const errorsMs: number[] = [];
  /** Samples off by more than their own round trip allows (+50 ms): a wrong extrapolation, whatever the load. */
  let wrong = 0;
  const untilMs = performance.now() + 3000;
  while (performance.now() < untilMs) {
    // mpv read the value somewhere between send and reply: compare with the mean of both estimates.
    const sentAt = performance.now();
    const before = player.getPosition();
    const fresh = await freshPlaybackTime(probe);
    const after = player.getPosition();
    const errorMs = ((before + after) / 2 - fresh) * 1000;
    if (Math.abs(errorMs) > (performance.now() - sentAt) / 2 + 50) wrong++;
    errorsMs.push(errorMs);
    await new Promise((resolve) => setTimeout(resolve, 20)); // sampling interval
  }
  const absSorted = errorsMs.map(Math.abs).sort((a, b) => a - b);
  const signedSorted = [...errorsMs].sort((a, b) => a - b);
  t.diagnostic(
    `getPosition() - playback-time over ${errorsMs.length} samples: |median| ${percentile(absSorted, 0.5).toFixed(2)} ms, ` +
      `|p95| ${percentile(absSorted, 0.95).toFixed(2)} ms, max ${absSorted.at(-1)?.toFixed(2)} ms, ` +
      `signed median ${percentile(signedSorted, 0.5).toFixed(2)} ms`,
  );
  assert.ok(errorsMs.length > 20);
  assert.ok(wrong <= errorsMs.length * 0.05, `${wrong} of ${errorsMs.length} samples off by more than half their round trip + 50 ms`);

  const latencies: Record<string, number[]> = { playing: [], paused: [] };
  for (const state of ["playing", "paused"] as const) {
    if (state === "paused") await player.pause();
    for (const target of [20, 5, 12, 8, 25, 3, 15, 10]) {
      const seeked = new Promise<number | null>((resolve) => {
        const off = player.on("seeked", (e) => {
          off();
          resolve(e.latencyMs);
        });
      });
      const startMs = performance.now();
      await player.seek(target);
      latencies[state]!.push(performance.now() - startMs);
      const landedAt = performance.now();
      assert.ok((await seeked) !== null);
      const fresh = await freshPlaybackTime(probe);
      // While playing, the media moves on between the seek and the read: allow for the time that took.
      const moved = state === "playing" ? (performance.now() - landedAt) / 1000 : 0;
      assert.ok(fresh > target - 0.3 && fresh < target + 0.3 + moved, `seek to ${target} read at ${fresh}`);
    }
  }
  for (const [state, values] of Object.entries(latencies)) {
    const sorted = values.sort((a, b) => a - b);
    t.diagnostic(
      `own seek → resolved (${state}): median ${percentile(sorted, 0.5).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms, n=${sorted.length}`,
    );
  }
});
