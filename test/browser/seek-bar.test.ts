/**
 * The video's own seek bar (Chromium's media controls), clicked and dragged
 * with the mouse while the room plays or stands paused: the room ends where
 * the viewer let go, playing or paused as before, for everyone. Chromium's
 * bar pauses, seeks and plays again in one go, its three events queued
 * together; found: with the rule that reads a play made while the engine
 * holds the player for the viewer's play as a toggle (quick-keys.test.ts),
 * a click on the bar of a playing video left the room paused.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { defaultSyncEngineTunables } from "../../src/client/sync/engine-options.js";
import type { Timeline } from "../../src/protocol/index.js";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });
/** Paused viewers: the engine leaves a paused player alone within pausedSeekThresholdMs (60 ms). */
const PAUSED_TOLERANCE_S = Math.max(0.05, defaultSyncEngineTunables.pausedSeekThresholdMs / 1000);
/** The clip's length, s (test/support/media.ts). */
const DURATION_S = 30;
/** Chromium's bar: inset from the video's sides and its height above the bottom edge, px (measured on a screenshot). */
const BAR_INSET_PX = 16;
const BAR_ABOVE_BOTTOM_PX = 23;

function timeline(page: Page): Promise<Timeline> {
  return page.evaluate(() => {
    const t = (window as unknown as { __party: { client: { room: { timeline: Timeline } | null } } }).__party.client.room?.timeline;
    if (!t) throw new Error("not in a room");
    return t;
  });
}

/** The bar's point at `fraction` of the media. */
async function barPoint(page: Page, fraction: number): Promise<{ x: number; y: number }> {
  const box = await page.locator("video").boundingBox();
  assert.ok(box, "the video is shown");
  const width = box.width - 2 * BAR_INSET_PX;
  return { x: box.x + BAR_INSET_PX + width * fraction, y: box.y + box.height - BAR_ABOVE_BOTTOM_PX };
}

async function clickBar(page: Page, fraction: number): Promise<void> {
  const p = await barPoint(page, fraction);
  await page.mouse.move(p.x, p.y);
  await page.mouse.click(p.x, p.y);
}

async function dragBar(page: Page, from: number, to: number): Promise<void> {
  const a = await barPoint(page, from);
  const b = await barPoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(a.x + ((b.x - a.x) * i) / 10, a.y);
  await page.mouse.up();
}

/** The room settles playing or paused where the viewer let go (within a second of the bar's point), both viewers on it. */
async function settlesAt(pages: Page[], state: "playing" | "paused", fraction: number): Promise<void> {
  const host = pages[0] as Page;
  const want = fraction * DURATION_S;
  await host.waitForFunction(
    ({ s, want }) => {
      const t = (window as unknown as { __party: { client: { room: { timeline: Timeline } | null } } }).__party.client.room?.timeline;
      return t?.play_state === s && Math.abs(t.position - want) < 1;
    },
    { s: state, want },
    { timeout: 15_000 },
  ).catch(async () => assert.fail(`room: ${JSON.stringify(await timeline(host))}, expected ${state} near ${want} s`));
  const tolerance = state === "playing" ? 0.15 : PAUSED_TOLERANCE_S;
  await waitInSync(pages, { playing: state === "playing", toleranceS: tolerance });
  await host.waitForTimeout(1500); // no late answer turns it around
  const line = await timeline(host);
  assert.equal(line.play_state, state, `the room is ${line.play_state} 1.5 s later`);
  await waitInSync(pages, { playing: state === "playing", toleranceS: tolerance });
}

test("the video's seek bar: clicks and drags end where the viewer let go, for everyone", { skip, timeout: 180_000 }, async (t) => {
  const { host, guest } = await startHostedParty(t, { roomName: "Bar", hostName: "Alice", guestName: "Bob" });
  const both = [host, guest];

  await t.test("a click while paused", { timeout: 30_000 }, async () => {
    await clickBar(host, 0.3);
    await settlesAt(both, "paused", 0.3);
  });
  await host.getByRole("button", { name: "Play" }).click();
  await waitInSync(both, { playing: true, toleranceS: 0.15 });

  await t.test("a click while playing", { timeout: 30_000 }, async () => {
    await clickBar(host, 0.5);
    await settlesAt(both, "playing", 0.5);
  });

  await t.test("two quick clicks while playing", { timeout: 30_000 }, async () => {
    await clickBar(host, 0.2);
    await clickBar(host, 0.4);
    await settlesAt(both, "playing", 0.4);
  });

  await t.test("a drag while playing", { timeout: 30_000 }, async () => {
    await dragBar(host, 0.3, 0.6);
    await settlesAt(both, "playing", 0.6);
  });

  await t.test("a drag while paused", { timeout: 30_000 }, async () => {
    await host.getByRole("button", { name: "Pause" }).click();
    await waitInSync(both, { playing: false, toleranceS: 0.05 });
    await dragBar(host, 0.6, 0.2);
    await settlesAt(both, "paused", 0.2);
  });
});
