/**
 * Pictures of real use for the README and docs: starts the real party
 * server, makes a real video with ffmpeg (an aurora-like gradient with a
 * tone, cached in .tmp/screenshots/), drives real Chromium through a small
 * party — Ana hosts "Friday film club", Bob and Chidi join by the invite
 * link, they chat, Ana jumps ahead, pauses and plays — and writes
 * docs/screenshots/room.png (Ana's view) and docs/screenshots/lobby.png
 * (a newcomer's lobby with two open rooms).
 *
 *   npm run screenshots        (builds first; needs chromium and ffmpeg)
 *
 * It drives the page through its labelled controls and the test hook
 * (`window.__party`), the same way the browser tests do, so it keeps
 * working while the page's look changes. Re-run it after changing the UI.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { createServer } from "../src/server/index.js";
import { launchBrowser } from "../test/support/browser.js";
import { createRoom, joinByInvite, openPartyPage, waitInSync } from "../test/support/party-page.js";
import { startStaticServer } from "../test/support/static-server.js";

const run = promisify(execFile);
const OUT_DIR = resolve("docs", "screenshots");
const MEDIA_DIR = resolve(".tmp", "screenshots");
const MEDIA_NAME = "northern-lights.mp4";
const MEDIA_SECONDS = 360;

/** ffmpeg-made media, reused when present. */
async function makeMedia(): Promise<string> {
  const path = join(MEDIA_DIR, MEDIA_NAME);
  if (existsSync(path)) return path;
  mkdirSync(MEDIA_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp.mp4`;
  const video = `gradients=size=960x540:rate=25:duration=${MEDIA_SECONDS}:c0=0x0b1d3a:c1=0x1f6f5c:c2=0x3ecf8e:c3=0x5b3c88:nb_colors=4:speed=0.01`;
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", video],
    ...["-f", "lavfi", "-i", `sine=frequency=196:sample_rate=48000:duration=${MEDIA_SECONDS}`],
    ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "50"],
    ...["-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", tmp],
  ]);
  renameSync(tmp, path);
  return path;
}

type PartyWindow = { __party: { client: PartyHook } };
interface PartyHook {
  updateSettings(s: { shared_control: boolean }): Promise<unknown>;
  play(position?: number): Promise<unknown>;
  pause(position?: number): Promise<unknown>;
  seek(position: number): Promise<unknown>;
}

/** Calls the page's PartyClient (the test hook). */
function party(page: Page, fn: "play" | "pause" | "seek", position?: number): Promise<void> {
  return page.evaluate(
    ([f, p]) => {
      const c = (window as unknown as PartyWindow).__party.client;
      return (p === null ? c[f as "play"]() : c[f as "play"](p as number)).then(() => undefined);
    },
    [fn, position ?? null] as const,
  );
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Chat message" }).fill(text);
  await page.getByRole("textbox", { name: "Chat message" }).press("Enter");
}

async function main(): Promise<void> {
  const started = Date.now();
  const mediaPath = await makeMedia();
  const cleanups: Array<() => Promise<unknown>> = [];
  const teardown = { after: (fn: () => Promise<void>) => void cleanups.push(fn) };
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  await server.listen();
  cleanups.push(() => server.close());
  try {
    const files = await startStaticServer([MEDIA_DIR], { teardown });
    const browser = await launchBrowser({ teardown });
    const mediaUrl = `${files.url}/${MEDIA_NAME}`;
    if (!existsSync(mediaPath)) throw new Error(`media missing: ${mediaPath}`);

    const ana = await openPartyPage(browser, { teardown });
    await ana.setViewportSize({ width: 1280, height: 900 });
    await ana.goto(`${server.httpUrl}/`);
    const invite = await createRoom(ana, { displayName: "Ana", roomName: "Friday film club", mediaUrl });
    const bob = await openPartyPage(browser, { teardown, storedName: "Bob" });
    await joinByInvite(bob, invite);
    const chidi = await openPartyPage(browser, { teardown, storedName: "Chidi" });
    await joinByInvite(chidi, invite);
    const viewers = [ana, bob, chidi];

    await say(ana, "Starting where we stopped last week");
    await party(ana, "seek", 191);
    await party(ana, "play");
    await waitInSync(viewers, { playing: true, toleranceS: 0.2, minPosition: 191.5, timeoutMs: 30_000 });
    await say(bob, "Perfect, I missed the first minutes anyway");
    // Ana lets everyone control playback; Chidi pauses for tea and starts it again.
    await ana.evaluate(() => (window as unknown as PartyWindow).__party.client.updateSettings({ shared_control: true }));
    await waitInSync(viewers, { playing: true, toleranceS: 0.2, minPosition: 204, timeoutMs: 30_000 });
    await party(chidi, "pause");
    await waitInSync(viewers, { playing: false, toleranceS: 0.1, timeoutMs: 30_000 });
    await say(chidi, "Two minutes, getting tea");
    await say(ana, "Take your time");
    await say(chidi, "Back, go ahead");
    await party(chidi, "play");
    await waitInSync(viewers, { playing: true, toleranceS: 0.2, timeoutMs: 30_000 });
    // Let the members' sync reports reach everyone's list before the picture.
    await ana.waitForFunction(() => document.querySelectorAll(".participant").length === 3);
    // Best effort: wait until everyone shows as in sync (the words may change with the page; then go on after 20 s).
    await ana
      .waitForFunction(() => [...document.querySelectorAll(".participant")].every((p) => /in sync/i.test(p.textContent ?? "")), null, {
        timeout: 20_000,
      })
      .catch(() => console.warn("not every viewer showed as in sync; taking the picture anyway"));
    await ana.mouse.move(1, 1); // the video's own controls fade out
    await ana.waitForTimeout(3500);
    mkdirSync(OUT_DIR, { recursive: true });
    await ana.screenshot({ path: join(OUT_DIR, "room.png"), fullPage: true });

    // A second party, then a newcomer's lobby lists both.
    const eve = await openPartyPage(browser, { teardown });
    await eve.goto(`${server.httpUrl}/`);
    await createRoom(eve, { displayName: "Eve", roomName: "Sunday cartoons", mediaUrl });
    const dana = await openPartyPage(browser, { teardown });
    await dana.setViewportSize({ width: 1100, height: 640 });
    await dana.goto(`${server.httpUrl}/`);
    await dana.locator(".room-name", { hasText: "Sunday cartoons" }).waitFor();
    await dana.locator(".room-name", { hasText: "Friday film club" }).waitFor();
    await dana.getByLabel("Your name").fill("Dana");
    await dana.screenshot({ path: join(OUT_DIR, "lobby.png") });
    console.log(`wrote ${join(OUT_DIR, "room.png")} and ${join(OUT_DIR, "lobby.png")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
