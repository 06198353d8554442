/**
 * Page-object helpers for the standalone party page (src/web/standalone):
 * open it with the test hook enabled, create and join rooms through the real
 * UI, and read each viewer's media position.
 */
import type { Browser, Page } from "playwright-core";
import { newPage, type Teardown } from "./browser.js";

export interface OpenOptions {
  teardown?: Teardown;
  /** Pre-store a display name in localStorage (as a returning viewer would have). */
  storedName?: string;
  /** Extra init script run before the page's own scripts (e.g. a clock shift). */
  initScript?: string;
}

/** A fresh context + page with `window.__party` exposed; does not navigate. */
export async function openPartyPage(browser: Browser, opts: OpenOptions = {}): Promise<Page> {
  const page = await newPage(browser, opts.teardown ? { teardown: opts.teardown } : {});
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.addInitScript((name: string | null) => {
    (window as unknown as { __OSP_TEST__: boolean }).__OSP_TEST__ = true;
    if (name) localStorage.setItem("opensyncparty.displayName", name);
  }, opts.storedName ?? null);
  return page;
}

export async function createRoom(
  page: Page,
  o: { displayName: string; roomName: string; mediaUrl: string },
): Promise<string> {
  await page.getByLabel("Your name").fill(o.displayName);
  await page.getByLabel("Room name").fill(o.roomName);
  await page.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill(o.mediaUrl);
  await page.getByRole("button", { name: "Create room" }).click();
  await page.locator("main.room").waitFor();
  await waitMediaReady(page);
  return page.locator("#invite-link").inputValue();
}

/** Opens an invite link; answers the name prompt when one appears. */
export async function joinByInvite(page: Page, link: string, displayName?: string): Promise<void> {
  await page.goto(link);
  if (displayName) {
    await page.getByLabel("Your name").fill(displayName);
    await page.getByRole("button", { name: "Join" }).click();
  }
  await page.locator("main.room").waitFor();
  await waitMediaReady(page);
}

/** Waits until the room's media is loaded and under the sync engine. */
export async function waitMediaReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const v = document.querySelector("video");
    return !!v && v.readyState >= 1 && !document.querySelector('.banner[data-source="media"]');
  });
}

export interface MediaSample {
  currentTime: number;
  paused: boolean;
  /** Page-local performance.now() when read, ms. */
  at: number;
}

export function mediaSample(page: Page): Promise<MediaSample> {
  return page.evaluate(() => {
    const v = document.querySelector("video") as HTMLVideoElement;
    return { currentTime: v.currentTime, paused: v.paused, at: performance.now() };
  });
}

/** Spread (s) between the pages' positions, read concurrently (so at about the same instant). */
export async function positionSpread(pages: readonly Page[]): Promise<{ spread: number; samples: MediaSample[] }> {
  const samples = await Promise.all(pages.map((p) => mediaSample(p)));
  const positions = samples.map((s) => s.currentTime);
  return { spread: Math.max(...positions) - Math.min(...positions), samples };
}

/** Waits until every page is (not) paused and all positions are within `toleranceS` of each other. */
export async function waitInSync(
  pages: readonly Page[],
  o: { playing: boolean; toleranceS: number; minPosition?: number; timeoutMs?: number },
): Promise<MediaSample[]> {
  const deadline = Date.now() + (o.timeoutMs ?? 15_000);
  let last: { spread: number; samples: MediaSample[] } | null = null;
  for (;;) {
    last = await positionSpread(pages);
    const states = last.samples.every((s) => s.paused === !o.playing && s.currentTime >= (o.minPosition ?? 0));
    if (states && last.spread <= o.toleranceS) return last.samples;
    if (Date.now() > deadline) {
      throw new Error(`viewers not in sync: ${JSON.stringify(last)}`);
    }
    await pages[0]?.waitForTimeout(50);
  }
}

/**
 * Waits until every page's video stands on the room's line as that page's
 * client knows it (`expectedPosition()`, read in the same task), within
 * `toleranceS`: where everyone lands, not only that they agree.
 */
export async function waitOnRoomLine(pages: readonly Page[], toleranceS: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const offsets = await Promise.all(
      pages.map((p) =>
        p.evaluate(() => {
          const v = document.querySelector("video") as HTMLVideoElement;
          const c = (window as unknown as { __party: { client: { expectedPosition(): number } } }).__party.client;
          return v.currentTime - c.expectedPosition();
        }),
      ),
    );
    if (offsets.every((o) => Math.abs(o) <= toleranceS)) return;
    if (Date.now() > deadline) throw new Error(`viewers off the room's line by ${JSON.stringify(offsets)} s`);
    await pages[0]?.waitForTimeout(50);
  }
}
