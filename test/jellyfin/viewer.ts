/**
 * One Jellyfin Web viewer for the script tests: a Chromium page on the
 * stand-in's fixture, logged in as a stand-in user, with the party
 * script added the way the JavaScript Injector snippet adds it.
 */
import type { Browser, Page } from "playwright-core";
import { newPage, type Teardown } from "../support/browser.js";

export interface VideoState {
  src: string;
  paused: boolean;
  time: number;
  ready: number;
  /** The party script has put this element on the room's timeline. */
  bound: boolean;
  seeking: boolean;
}

/** The stand-in client's order of events (test/fixtures/jellyfin/fixture.js). */
export type FixtureOrder = "real" | "hls" | "slow" | "kind" | "src-first" | "report-early" | "opaque";

export interface ViewerOptions {
  jellyfin: string;
  party: string;
  token: string;
  order?: FixtureOrder;
  /** Show the login page until the test signs in (default: logged in at once). */
  manualLogin?: boolean;
  /** Open this URL instead of /web/index.html#/home (an invite link). */
  url?: string;
  /** This user's resume point on every item, s: Jellyfin's Play button resumes there (fixture.js). */
  resumeAt?: number;
}

export async function openViewer(browser: Browser, t: Teardown, o: ViewerOptions): Promise<Page> {
  const page = await newPage(browser, { teardown: t });
  await page.addInitScript(
    (f) => Object.assign(window, { __fixtureToken: f.token, __fixtureOrder: f.order, __fixtureLogin: f.login, __fixtureResumeAt: f.resumeAt }),
    { token: o.token, order: o.order ?? "real", login: o.manualLogin ? "manual" : "auto", resumeAt: o.resumeAt ?? 0 },
  );
  await page.goto(o.url ?? `${o.jellyfin}/web/index.html#/home`);
  await page.evaluate((src) => {
    const s = document.createElement("script");
    s.src = src;
    s.defer = true;
    document.head.appendChild(s);
  }, `${o.party}/jellyfin.js`);
  return page;
}

export function video(page: Page): Promise<VideoState | null> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>("video.htmlvideoplayer");
    return v
      ? {
          src: v.currentSrc,
          paused: v.paused,
          time: v.currentTime,
          ready: v.readyState,
          bound: v.hasAttribute("data-osp-bound"),
          seeking: v.seeking,
        }
      : null;
  });
}

/** Polls the page's <video> until `pred` holds (no fixed sleeps). */
export async function waitVideo(page: Page, pred: (v: VideoState) => boolean, what: string, timeoutMs = 15_000): Promise<VideoState> {
  const deadline = Date.now() + timeoutMs;
  let last: VideoState | null = null;
  while (Date.now() < deadline) {
    last = await video(page);
    if (last && pred(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; last video state: ${JSON.stringify(last)}; the party script's view: ${await partyView(page)}`);
}

/**
 * What the party script believes, for a failure message: the room's timeline
 * and media as its client holds them, and the sync engine's plain fields.
 * A string expression, so the bundler's helpers never reach the page.
 */
function partyView(page: Page): Promise<string> {
  return page
    .evaluate(`(() => {
      const party = window.OpenSyncParty && window.OpenSyncParty.party;
      if (!party) return "no party";
      const client = party.client;
      const plain = (o) => o ? Object.fromEntries(Object.entries(o).filter(([, v]) => v === null || ["number", "string", "boolean"].includes(typeof v))) : null;
      return JSON.stringify({ party: plain(party), room: client.room ? { mediaId: client.room.mediaId, timeline: client.room.timeline } : null, engine: plain(client.engine) });
    })()`)
    .then(String, (e: Error) => `unreadable (${e.message})`);
}

/**
 * Waits until the page's video has played steadily for a moment (playing, not
 * seeking, advancing across two reads ~600 ms apart): the party's engine has
 * finished any correction seek. A viewer's own pause at the very instant the
 * engine pauses for a correction seek is indistinguishable from the engine's
 * (one media event for two requests); a person does not hit that window
 * reliably, a test under CPU load does.
 */
export async function waitSettled(page: Page, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let before = await video(page);
  while (Date.now() < deadline) {
    await page.waitForTimeout(600);
    const after = await video(page);
    const steady = (v: VideoState | null) => !!v && v.bound && !v.paused && !v.seeking;
    if (before && after && steady(before) && steady(after) && after.time - before.time > 0.4) return;
    before = after;
  }
  throw new Error(`timed out waiting for ${what} to settle; last video state: ${JSON.stringify(before)}`);
}

/** The party panel's line about this viewer's player (opens the panel if needed). */
export async function playerLine(page: Page): Promise<string> {
  const line = page.locator("#opensyncparty-panel .player-line");
  if (!(await line.isVisible())) await page.locator('[data-osp-button="header"]').click();
  return (await line.textContent()) ?? "";
}

export function hostVideo(page: Page, action: "pause" | "play" | { seek: number }): Promise<void> {
  return page.evaluate(async (a) => {
    const v = document.querySelector<HTMLVideoElement>("video.htmlvideoplayer");
    if (!v) throw new Error("no video");
    if (a === "pause") v.pause();
    else if (a === "play") {
      // Like a click on play: the request is what counts. The party's engine may pause the element
      // again to hold it until the scheduled instant; play() then rejects with AbortError, which a
      // person never sees. The caller checks the outcome (the others playing) instead.
      await v.play().catch((err: Error) => {
        if (err.name !== "AbortError") throw err;
      });
    }
    else v.currentTime = a.seek;
  }, action);
}
