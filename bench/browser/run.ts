/**
 * `npm run bench:browser [-- --burners]`: three Chromium viewers of the
 * standalone page in one room, through a proxy adding 50 ± 20 ms each way,
 * with clocks shifted by −1500 / 0 / +2000 ms, driven through the page's own
 * UI: Play button, a late joiner by invite link, a seek made on the host's
 * `<video>` element, a pause and a resume on it. Every page records (true
 * wall time, position); offsets are compared on that common timeline.
 * Prints steady pair-wise |offset| p50/p95/max, convergence after join,
 * seek and resume, the distance between the frame where the pauser paused
 * and where each viewer paused, and the room-wide pauses nobody asked for
 * (the server's buffering pauses). `--burners` (or BENCH_BURNERS=1) runs two
 * CPU-burning processes alongside. Needs `npm run build` (run.ts builds if
 * dist is missing).
 */
import { execSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { Page } from "playwright-core";
import { createServer } from "../../src/server/index.js";
import { launchBrowser } from "../../test/support/browser.js";
import { ensureTestMedia } from "../../test/support/media.js";
import { createRoom, joinByInvite, openPartyPage } from "../../test/support/party-page.js";
import { startStaticServer } from "../../test/support/static-server.js";
import { startBurners } from "./burners.js";
import { pageInitScript, type Sample } from "./clock-shift.js";
import { countServerCommands, pauseVideo, playVideo, seekVideo, videoTime } from "./drive.js";
import { startDelayProxy } from "./proxy.js";
import { convergenceMs, percentile, type SpreadPoint, spreads } from "./stats.js";

/** Convergence: the spread is ≤ this, held 1 s. */
const CONVERGED_MS = 30;
const CLOCK_OFFSETS = [-1500, 0, 2000];
const DELAY = { delayMs: 50, jitterMs: 20 };
const RECORD_MS = 7000;
const BURNERS = process.argv.includes("--burners") || process.env.BENCH_BURNERS === "1";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function samplesOf(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (window as unknown as { __bench: { samples: Sample[] } }).__bench.samples);
}

const f = (x: number) => x.toFixed(1).padStart(6);
function summary(label: string, points: readonly SpreadPoint[]): string {
  const v = points.map((p) => p.spreadMs);
  return `${label.padEnd(30)} n=${String(v.length).padStart(4)}  p50 ${f(percentile(v, 50))} ms  p95 ${f(percentile(v, 95))} ms  max ${f(Math.max(...v))} ms`;
}

async function main(): Promise<void> {
  if (!existsSync("dist/web/standalone.js")) execSync("npm run build", { stdio: "inherit" });
  const stopBurners = startBurners(BURNERS ? 2 : 0);
  const teardown: Array<() => Promise<void>> = [];
  const t = { after: (fn: () => Promise<void>) => void teardown.push(fn) };
  try {
    const media = await ensureTestMedia();
    const files = await startStaticServer([media.mediaDir], { teardown: t });
    const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
    await server.listen();
    teardown.push(() => server.close());
    const serverCommands = countServerCommands(server);
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
    const joinedAt = Date.now(); // the joiner's page is in the room with its media loaded
    await sleep(RECORD_MS);

    const seekAt = Date.now();
    await seekVideo(a, 3); // on the host's <video>, as its scrubber does
    await sleep(RECORD_MS);

    const pauseAt = Date.now();
    const pausedFrame = await pauseVideo(a);
    await sleep(3000);
    const pausedAt = await Promise.all(pages.map(videoTime));
    const pauseDistMs = pausedAt.map((p) => Math.abs(p - pausedFrame) * 1000);

    const resumeAt = Date.now();
    await playVideo(a);
    await sleep(RECORD_MS);
    const endAt = Date.now();

    const all = await Promise.all(pages.map(samplesOf));
    const points = spreads(all, joinAt, endAt);
    if (process.env.BENCH_DUMP) {
      const events = { joinAt, joinedAt, seekAt, pauseAt, resumeAt, endAt };
      writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ events, samples: all }));
    }
    const before = (to: number) => points.filter((p) => p.t < to);
    const joinConv = convergenceMs(before(seekAt), joinAt, CONVERGED_MS);
    const joinedConv = joinConv === null ? null : Math.max(0, joinConv - (joinedAt - joinAt));
    const seekConv = convergenceMs(before(pauseAt), seekAt, CONVERGED_MS);
    const resumeConv = convergenceMs(points, resumeAt, CONVERGED_MS);
    const windows: Array<[number, number]> = [];
    if (joinConv !== null) windows.push([joinAt + joinConv, seekAt]);
    if (seekConv !== null) windows.push([seekAt + seekConv, pauseAt]);
    if (resumeConv !== null) windows.push([resumeAt + resumeConv, endAt]);
    const steadyOf = (pts: readonly SpreadPoint[]) => pts.filter((p) => windows.some(([s, e]) => p.t >= s && p.t < e));

    console.log(`bench:browser — ${new Date().toISOString()}${BURNERS ? " — with 2 CPU burners" : ""}`);
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load avg ${loadavg().map((x) => x.toFixed(1)).join(" ")}, node ${process.version}, chromium ${browser.version()}`);
    console.log(`network: proxy ${DELAY.delayMs} ± ${DELAY.jitterMs} ms each way; clock offsets ${CLOCK_OFFSETS.join(" / ")} ms`);
    const conv = (x: number | null) => (x === null ? "never" : `${x} ms`);
    console.log(
      `convergence (spread ≤ ${CONVERGED_MS} ms held 1 s): join ${conv(joinConv)} from opening the invite link (${conv(joinedConv)} from its media loaded), seek ${conv(seekConv)}, resume ${conv(resumeConv)}`,
    );
    console.log(summary("steady, all 3 (max − min)", steadyOf(points)));
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]] as const) {
      console.log(summary(`steady, viewers ${i + 1}–${j + 1} |offset|`, steadyOf(spreads([all[i]!, all[j]!], joinAt, endAt))));
    }
    console.log(summary("whole run incl. transients", points));
    console.log(`pause: pauser's frame ${pausedFrame.toFixed(3)} s; paused at ${pausedAt.map((p) => p.toFixed(3)).join(" / ")} s; distance ${pauseDistMs.map((d) => d.toFixed(0)).join(" / ")} ms (one frame = 40 ms)`);
    const afterSeek = serverCommands.pauses.filter((x) => x >= seekAt && x < pauseAt).length;
    console.log(`room-wide pauses nobody asked for (server buffering pauses): ${serverCommands.pauses.length} in the run, ${afterSeek} after the seek`);
  } finally {
    for (const fn of teardown.reverse()) await fn().catch(() => {});
    stopBurners();
  }
}

await main();
