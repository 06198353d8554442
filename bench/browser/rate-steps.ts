/**
 * `node --import tsx bench/browser/rate-steps.ts`: what a rate change costs
 * Chromium's media clock, on a bare `<video>` of the test clip. For each
 * rate in turn (held 500 ms), `currentTime` is averaged over 100 ms before
 * and after and compared with the integral of the rates: the difference is
 * the step the change cost (negative: the media clock fell behind). Run with
 * `preservesPitch` off (resampled) and on (time-stretched, WSOLA). The
 * figures are in docs/sync.md ("Pitch-free corrections"); a busy machine
 * adds outliers of −100 ms and more (stutters), so read several runs.
 */
import { launchBrowser } from "../../test/support/browser.js";
import { ensureTestMedia } from "../../test/support/media.js";
import { startStaticServer } from "../../test/support/static-server.js";

const RUNS: Array<{ preservesPitch: boolean; rates: number[] }> = [
  { preservesPitch: false, rates: [1.02, 1, 1.03, 1, 1.05, 1, 1.1, 1, 1.2, 1, 0.97, 1, 0.95, 1] },
  { preservesPitch: true, rates: [1.02, 1, 1.05, 1, 1.2, 1, 0.97, 1] },
];

/** Runs in the page (a string, so no bundler helper leaks into it). */
const PAGE_FN = `async ({ url, rates, preservesPitch, holdMs }) => {
  document.body.innerHTML = "";
  const v = document.createElement("video");
  v.src = url; v.preservesPitch = preservesPitch; document.body.append(v);
  await v.play();
  await new Promise((r) => setTimeout(r, 1000));
  let ideal = v.currentTime, last = performance.now(), rate = v.playbackRate;
  function read() { const n = performance.now(); ideal += ((n - last) / 1000) * rate; last = n; return (v.currentTime - ideal) * 1000; }
  async function avg() { let s = 0; for (let i = 0; i < 10; i++) { s += read(); await new Promise((r) => setTimeout(r, 10)); } return s / 10; }
  const out = [];
  for (const r of rates) {
    const before = await avg();
    read(); v.playbackRate = r; rate = r;
    await new Promise((res) => setTimeout(res, holdMs));
    out.push(r + ": " + ((await avg()) - before).toFixed(1) + " ms");
  }
  v.pause(); v.remove();
  return out.join("  ");
}`;

const teardown: Array<() => Promise<void>> = [];
const t = { after: (fn: () => Promise<void>) => void teardown.push(fn) };
try {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const browser = await launchBrowser({ teardown: t });
  const page = await browser.newPage();
  await page.goto(`${files.url}/`).catch(() => undefined); // any same-origin page will do
  for (const run of RUNS) {
    const arg = JSON.stringify({ url: `${files.url}/clip.mp4`, ...run, holdMs: 500 });
    const line: string = await page.evaluate(`(${PAGE_FN})(${arg})`);
    console.log(`preservesPitch ${run.preservesPitch ? "on " : "off"}: ${line}`);
  }
} finally {
  for (const fn of teardown.reverse()) await fn();
}
