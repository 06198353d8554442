/**
 * Init scripts for the benchmark pages: shift the clocks the SDK reads
 * (Date.now, performance.now, performance.timeOrigin) by a fixed offset, and
 * record (true wall time, media position) samples against the unshifted
 * clocks, so samples from all pages share one reference timeline.
 */

/** Runs in the page before any of its scripts. */
export function pageInitScript(offsetMs: number): string {
  return `(() => {
  const OFFSET = ${Number(offsetMs)};
  const perf = performance;
  const origNow = perf.now.bind(perf);
  const origOrigin = perf.timeOrigin;
  const origDateNow = Date.now;
  const trueEpoch = () => origOrigin + origNow();
  perf.now = () => origNow() + OFFSET;
  Object.defineProperty(perf, "timeOrigin", { value: origOrigin + OFFSET });
  Date.now = () => origDateNow() + OFFSET;
  const samples = [];
  window.__bench = { samples, trueEpoch };
  const tick = () => {
    const v = document.querySelector("video");
    if (!v || v.readyState < 2) return;
    const sample = [trueEpoch(), v.currentTime, v.paused ? 1 : 0];
    // Diagnostics (BENCH_DUMP): the clock estimate's error and the engine's own offset reading.
    const client = window.__party && window.__party.client;
    if (client && client.clock.synced) {
      const st = client.engine ? client.engine.status() : null;
      // The rate policy's private state (plain JS properties at run time): learned entry step, trims refused, resting.
      const rc = client.engine && client.engine.rate;
      const sd = client.engine && client.engine.driver.startDelay;
      sample.push(client.clock.serverNow() - trueEpoch(), st && st.offsetMs !== null ? st.offsetMs : null, v.playbackRate,
        rc ? rc.entryStepMs : null, rc ? (rc.trimRefused ? 1 : 0) : null, client.clock.errorBoundMs,
        sd ? sd.emaMs : null, sd ? sd.biasMs : null);
    }
    samples.push(sample);
  };
  setInterval(tick, 10);
})();`;
}

/** Diagnostics after `paused`, once the clock is synced: clock error (serverNow − true time), the engine's offset, playbackRate, the rate policy's state. */
export type Sample = [
  epochMs: number,
  position: number,
  paused: 0 | 1,
  clockErrMs?: number,
  engineOffsetMs?: number | null,
  rate?: number,
  /** The rate policy's learned entry step (ms), whether it refused trims (1), the clock's error bound (ms). */
  entryStepMs?: number | null,
  trimRefused?: 0 | 1 | null,
  clockBoundMs?: number,
  /** The start delay's measured EMA and learned landing bias, ms. */
  startDelayEmaMs?: number | null,
  startDelayBiasMs?: number | null,
];
