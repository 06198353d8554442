/**
 * The room's activity feed and the end of the media, in real Chromium over
 * the real party server with ffmpeg-made media (a 30 s clip):
 * - the host's feed shows a guest's join; the guest's feed shows the host's
 *   pause with its media time; each line has a clock time; a guest's own
 *   pause is undone and the feed says why;
 * - "+10 s" near the end stops at the end; playing into the end leaves
 *   every page paused at the duration with at most one seek each (no seek
 *   loop), shows "The video ended" with "Play again"; a late joiner lands at
 *   the duration, not beyond it; "Play again" starts everyone from 0.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, mediaSample, openPartyPage, waitInSync } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const TOLERANCE_S = 0.15;
/** How long the pages are watched after the end for any further seek, ms (absence needs a window). */
const WATCH_AFTER_END_MS = 3000;

type PartyWindow = { __party: { client: { seek(p: number): Promise<unknown>; play(p?: number): Promise<unknown> } }; __seeks: number };

/** Counts the video's `seeking` events from now on. */
async function countSeeks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PartyWindow & { __seekCounter?: boolean };
    w.__seeks = 0;
    if (w.__seekCounter) return;
    w.__seekCounter = true;
    document.querySelector("video")?.addEventListener("seeking", () => w.__seeks++);
  });
}
const seeks = (page: Page) => page.evaluate(() => (window as unknown as PartyWindow).__seeks);

/** Waits until the page's video is paused at the media's end (its own duration). */
async function waitPausedAtEnd(page: Page, durationS: number): Promise<void> {
  await page.waitForFunction(
    (d) => {
      const v = document.querySelector("video") as HTMLVideoElement;
      return v.paused && Math.abs(v.currentTime - d) < 0.1;
    },
    durationS,
    { timeout: 20_000 },
  );
}

test("activity feed: joins, the host's pause with its time, a refused pause says why", { skip, timeout: 120_000 }, async (t) => {
  const { host: ana, guest: bob } = await startHostedParty(t, { roomName: "Friday film club", hostName: "Ana", guestName: "Bob" });

  const joined = ana.locator(".activity-line", { hasText: "Bob joined" });
  await joined.waitFor();
  assert.match((await joined.locator("time").textContent()) ?? "", /\d{1,2}[:.]\d{2}/, "each line has a clock time");

  await ana.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([ana, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: 1 });
  await bob.locator(".activity-line", { hasText: /Ana played from 0:0\d/ }).waitFor();

  await ana.evaluate(() => (window as unknown as PartyWindow).__party.client.seek(12));
  await bob.locator(".activity-line", { hasText: "Ana jumped to 0:12" }).waitFor();
  await waitInSync([ana, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: 12.5 });
  await ana.getByRole("button", { name: "Pause", exact: true }).click();
  const [paused] = await waitInSync([ana, bob], { playing: false, toleranceS: 0.05 });
  const line = bob.locator(".activity-line", { hasText: /Ana paused at 0:\d\d/ });
  await line.waitFor();
  const said = /Ana paused at 0:(\d\d)/.exec((await line.textContent()) ?? "");
  const at = paused?.currentTime ?? 0;
  assert.ok(said && Math.abs(Number(said[1]) - at) <= 1, `the feed says where the pause landed (${at} s): ${said?.[0]}`);
  assert.match((await line.locator("time").textContent()) ?? "", /\d{1,2}[:.]\d{2}/);
  await ana.locator(".activity-line", { hasText: "You paused at" }).waitFor();

  // Bob, not the host, pauses with the video's own controls while the room plays: undone, with why.
  await ana.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([ana, bob], { playing: true, toleranceS: TOLERANCE_S });
  // Once Bob's engine has settled (a pause during its own correction would count as the engine's).
  await bob.waitForFunction(() => {
    const c = (window as unknown as { __party: { client: { syncEngine: { status(): { state: string } } | null } } }).__party.client;
    return c.syncEngine?.status().state === "synced";
  });
  await bob.evaluate(() => (document.querySelector("video") as HTMLVideoElement).pause());
  await bob.locator(".activity-refused", { hasText: "Only the host controls playback" }).waitFor();
  await waitInSync([ana, bob], { playing: true, toleranceS: TOLERANCE_S });

  // Chat lines carry their time too.
  await bob.getByRole("textbox", { name: "Chat message" }).fill("Great soundtrack");
  await bob.getByRole("button", { name: "Send" }).click();
  const chat = ana.locator(".chat-line", { hasText: "Great soundtrack" });
  await chat.waitFor();
  assert.match((await chat.locator("time").textContent()) ?? "", /\d{1,2}[:.]\d{2}/);

  await bob.getByRole("button", { name: "Leave room" }).click();
  await ana.locator(".activity-line", { hasText: "Bob left" }).waitFor();
});

test("the end of the media: +10 s stops at the end, everyone pauses there once, late joiner, play again", { skip, timeout: 150_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });
  const end = media.durationSeconds;

  const ana = await openPartyPage(browser, { teardown: t });
  await ana.goto(`${server.httpUrl}/`);
  const invite = await createRoom(ana, { displayName: "Ana", roomName: "Short films", mediaUrl: `${files.url}/clip.mp4` });
  const bob = await openPartyPage(browser, { teardown: t, storedName: "Bob" });
  await joinByInvite(bob, invite);
  const pages = [ana, bob];
  // The first player to learn the duration told the room.
  await ana.waitForFunction((d) => {
    const w = window as unknown as { __party: { client: { mediaDuration: number | null } } };
    return w.__party.client.mediaDuration !== null && Math.abs(w.__party.client.mediaDuration - d) < 0.2;
  }, end);

  // "+10 s" near the end stops at the end.
  await ana.evaluate(() => (window as unknown as PartyWindow).__party.client.play(24));
  await waitInSync(pages, { playing: true, toleranceS: TOLERANCE_S, minPosition: 24.5 });
  for (const p of pages) await countSeeks(p);
  await ana.getByRole("button", { name: "Forward 10 seconds" }).click();
  for (const p of pages) await waitPausedAtEnd(p, end);
  await ana.locator(".activity-line", { hasText: /The video ended at 0:(29|30)/ }).waitFor();
  await ana.waitForTimeout(WATCH_AFTER_END_MS);
  for (const p of pages) {
    const s = await mediaSample(p);
    assert.ok(s.paused && Math.abs(s.currentTime - end) < 0.1, `still paused at the end: ${JSON.stringify(s)}`);
    t.diagnostic(`seeks for "+10 s" at the end: ${await seeks(p)} (${p === ana ? "host" : "guest"})`);
    assert.ok((await seeks(p)) <= 1, `at most one seek for "+10 s" at the end, got ${await seeks(p)}`);
  }

  // Playing into the end: every page stops at the duration, no seek loop.
  await ana.evaluate(() => (window as unknown as PartyWindow).__party.client.play(26));
  await waitInSync(pages, { playing: true, toleranceS: TOLERANCE_S, minPosition: 26.3 });
  for (const p of pages) await countSeeks(p);
  for (const p of pages) await waitPausedAtEnd(p, end);
  await bob.locator("#btn-play-again").waitFor();
  assert.equal(await bob.locator("#btn-play-again").isDisabled(), true, "only the host may start it again");
  await ana.waitForTimeout(WATCH_AFTER_END_MS);
  for (const p of pages) {
    const s = await mediaSample(p);
    assert.ok(s.paused && Math.abs(s.currentTime - end) < 0.1, `still paused at the end: ${JSON.stringify(s)}`);
    const n = await seeks(p);
    t.diagnostic(`seeks at the end: ${n} (${p === ana ? "host" : "guest"})`);
    assert.ok(n <= 1, `no seek loop at the end: ${n} seeks`);
  }

  // A late joiner is told the end, not beyond it.
  const cara = await openPartyPage(browser, { teardown: t, storedName: "Cara" });
  await joinByInvite(cara, invite);
  const told = await cara.evaluate(() => {
    const w = window as unknown as { __party: { client: { room: { timeline: { position: number; play_state: string } } } } };
    return w.__party.client.room.timeline;
  });
  assert.ok(told.position <= end + 1e-6, `late joiner told ${told.position} s for a ${end} s clip`);
  assert.equal(told.play_state, "paused");
  await waitPausedAtEnd(cara, end);
  await cara.locator(".ended", { hasText: "The video ended" }).waitFor();

  // Play again: everyone from the start.
  await ana.getByRole("button", { name: "Play again" }).click();
  await waitInSync([ana, bob, cara], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.3 });
  const s = await mediaSample(ana);
  assert.ok(s.currentTime < 10, `played again from the start, at ${s.currentTime}`);
  await ana.locator(".ended").waitFor({ state: "hidden" });
});
