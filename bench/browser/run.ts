/**
 * `npm run bench:browser`: three Chromium viewers of the standalone page in
 * one room, through a proxy adding 50 ± 20 ms each way, with clocks shifted
 * by −1500 / 0 / +2000 ms. Every page records (true wall time, position);
 * offsets are compared on that common timeline. Prints p50/p95/max
 * inter-viewer offset (steady state) and convergence after a late join and
 * after a seek. Needs `npm run build` first (run.ts builds if dist is missing).
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import type { Page } from "playwright-core";
import { createServer } from "../../src/server/index.js";
import { launchBrowser } from "../../test/support/browser.js";
import { ensureTestMedia } from "../../test/support/media.js";
import { createRoom, joinByInvite, openPartyPage } from "../../test/support/party-page.js";
import { startStaticServer } from "../../test/support/static-server.js";
import { pageInitScript, type Sample } from "./clock-shift.js";
import { startDelayProxy } from "./proxy.js";
import { convergenceMs, percentile, type SpreadPoint, spreads } from "./stats.js";

const TARGET_MS = 30;
const CLOCK_OFFSETS = [-1500, 0, 2000];
const DELAY = { delayMs: 50, jitterMs: 20 };
const RECORD_MS = 8000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function samplesOf(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (window as unknown as { __bench: { samples: Sample[] } }).__bench.samples);
}

function summary(label: string, points: readonly SpreadPoint[]): string {
  const v = points.map((p) => p.spreadMs);
  const f = (x: number) => x.toFixed(1).padStart(6);
  return `${label.padEnd(28)} n=${String(v.length).padStart(4)}  p50 ${f(percentile(v, 50))} ms  p95 ${f(percentile(v, 95))} ms  max ${f(Math.max(...v))} ms`;
}

async function main(): Promise<void> {
  if (!existsSync("dist/web/standalone.js")) execSync("npm run build", { stdio: "inherit" });
  const teardown: Array<() => Promise<void>> = [];
  const t = { after: (fn: () => Promise<void>) => void teardown.push(fn) };
  try {
    const media = await ensureTestMedia();
    const files = await startStaticServer([media.mediaDir], { teardown: t });
    const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
    await server.listen();
    teardown.push(() => server.close());
    const proxy = await startDelayProxy(server.httpUrl, DELAY);
    teardown.push(() => proxy.close());
    const browser = await launchBrowser({ teardown: t });

    const pages = await Promise.all(
      CLOCK_OFFSETS.map((offset, i) =>
        openPartyPage(browser, { teardown: t, storedName: `Viewer ${i + 1}`, initScript: pageInitScript(offset) }),
      ),
    );
    const [a, b, c] = pages as [Page, Page, Page];
    await a.goto(`${proxy.url}/`);
    const invite = await createRoom(a, { displayName: "Viewer 1", roomName: "Bench", mediaUrl: `${files.url}/clip.mp4` });
    await joinByInvite(b, invite);
    await a.getByRole("button", { name: "Play", exact: true }).click();
    await sleep(4000);

    const joinAt = Date.now();
    await joinByInvite(c, invite);
    await sleep(RECORD_MS);

    const seekAt = Date.now();
    await a.evaluate(() => (window as unknown as { __party: { client: { seek(p: number): Promise<unknown> } } }).__party.client.seek(3));
    await sleep(RECORD_MS);
    const endAt = Date.now();

    const all = await Promise.all(pages.map(samplesOf));
    const points = spreads(all, joinAt, endAt);
    const joinConv = convergenceMs(points.filter((p) => p.t < seekAt), joinAt, TARGET_MS);
    const seekConv = convergenceMs(points, seekAt, TARGET_MS);
    const steady = points.filter(
      (p) =>
        (joinConv !== null && p.t >= joinAt + joinConv && p.t < seekAt) || (seekConv !== null && p.t >= seekAt + seekConv),
    );

    console.log(`bench:browser — ${new Date().toISOString()}`);
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, chromium ${browser.version()}`);
    console.log(`network: proxy ${DELAY.delayMs} ± ${DELAY.jitterMs} ms each way; clock offsets ${CLOCK_OFFSETS.join(" / ")} ms`);
    console.log(`convergence (spread ≤ ${TARGET_MS} ms held 1 s): after join ${joinConv ?? "never"} ms, after seek ${seekConv ?? "never"} ms`);
    console.log(summary("steady state (3 viewers)", steady));
    console.log(summary("whole run incl. transients", points.filter((p) => p.t >= joinAt)));
    const p95 = percentile(steady.map((p) => p.spreadMs), 95);
    console.log(`target p95 ≤ ${TARGET_MS} ms: ${p95 <= TARGET_MS ? "MET" : "MISSED"}`);
  } finally {
    for (const fn of teardown.reverse()) await fn().catch(() => {});
  }
}

await main();
