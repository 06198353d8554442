/**
 * Quick key presses on the standalone page's video, as a viewer makes them
 * (real keyboard in real Chromium, the video focused): every sequence ends
 * where the viewer meant, for everyone in the room. Found: Space pressed
 * right after ArrowRight on a playing video left the room playing — the
 * sync engine held the video still for the seek's scheduled start, so the
 * Space that meant "pause" played it. Each sequence is pressed in one go,
 * faster than the room answers on any machine.
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

interface PartyWindow {
  __party: { client: { room: { timeline: Timeline } | null; expectedPosition(): number } };
}

function timeline(page: Page): Promise<Timeline> {
  return page.evaluate(() => {
    const t = (window as unknown as PartyWindow).__party.client.room?.timeline;
    if (!t) throw new Error("not in a room");
    return t;
  });
}

/**
 * Presses `keys` on the focused video one right after the other (or `gapMs`
 * apart, a quick person's pace); returns the video's position just before, s.
 */
async function press(page: Page, keys: string[], gapMs = 0): Promise<number> {
  const video = page.locator("video");
  await video.focus();
  const before = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  for (const k of keys) {
    await page.keyboard.press(k);
    if (gapMs > 0) await page.waitForTimeout(gapMs);
  }
  return before;
}

/** Waits until the room's line is in `state` and both viewers stand on it, steady; returns the line. */
async function settle(pages: Page[], state: "playing" | "paused"): Promise<Timeline> {
  await pages[0]?.waitForFunction(
    (s) => (window as unknown as PartyWindow).__party.client.room?.timeline.play_state === s,
    state,
    { timeout: 15_000 },
  );
  await waitInSync(pages, { playing: state === "playing", toleranceS: state === "playing" ? 0.15 : PAUSED_TOLERANCE_S });
  // No late answer turns it around: still so a while later (the room's lead and a round trip are far shorter).
  await pages[0]?.waitForTimeout(1500);
  const samples = await waitInSync(pages, { playing: state === "playing", toleranceS: state === "playing" ? 0.15 : PAUSED_TOLERANCE_S });
  assert.equal(samples.length, pages.length);
  return timeline(pages[0] as Page);
}

test("quick keys on the video: each sequence ends where the viewer meant, for everyone", { skip, timeout: 180_000 }, async (t) => {
  const { host, guest } = await startHostedParty(t, { roomName: "Keys", hostName: "Alice", guestName: "Bob" });
  const both = [host, guest];

  await t.test("Space plays", { timeout: 30_000 }, async () => {
    await press(host, ["Space"]);
    await settle(both, "playing");
  });

  await t.test("ArrowRight then Space on a playing video pauses where the seek went", { timeout: 30_000 }, async () => {
    const before = await press(host, ["ArrowRight", "Space"]);
    const line = await settle(both, "paused");
    // Chromium's arrow steps from its bar's value, which trails a playing video's time by up to a timeupdate (more on a loaded machine).
    assert.ok(line.position >= before - 0.01 && line.position < before + 1, `room paused at ${line.position} s, the seek went from ${before} s`);
  });

  await t.test("Space then Space on a paused video stays paused", { timeout: 30_000 }, async () => {
    const before = await press(host, ["Space", "Space"]);
    const line = await settle(both, "paused");
    assert.ok(Math.abs(line.position - before) < 0.5, `room paused at ${line.position} s, was at ${before} s`);
  });

  await t.test("Space, ArrowRight, ArrowRight, Space from paused ends paused past the seeks", { timeout: 30_000 }, async () => {
    const before = await press(host, ["Space", "ArrowRight", "ArrowRight", "Space"]);
    const line = await settle(both, "paused");
    assert.ok(line.position > before + 0.1, `room paused at ${line.position} s, the seeks went past ${before} s`);
  });

  await t.test("ArrowLeft then Space on a paused video plays from where the seek went", { timeout: 30_000 }, async () => {
    const before = await press(host, ["ArrowLeft", "Space"]);
    const line = await settle(both, "playing");
    assert.ok(line.position < before, `room plays from ${line.position} s, the seek went back from ${before} s`);
  });

  await t.test("Space then ArrowLeft on a playing video pauses where the seek went", { timeout: 30_000 }, async () => {
    const before = await press(host, ["Space", "ArrowLeft"]);
    const line = await settle(both, "paused");
    assert.ok(line.position < before + 0.05, `room paused at ${line.position} s, the seek went back from ${before} s`);
  });

  // A person's quick presses, 80 ms apart: each lands while the room's answer to the one before is still on its way.
  await t.test("at a person's pace: Space ×3 from paused plays", { timeout: 30_000 }, async () => {
    await press(host, ["Space", "Space", "Space"], 80);
    await settle(both, "playing");
  });

  await t.test("at a person's pace: ArrowRight ×3, Space, Space on a playing video keeps playing past the seeks", { timeout: 30_000 }, async () => {
    const before = await press(host, ["ArrowRight", "ArrowRight", "ArrowRight", "Space", "Space"], 80);
    const line = await settle(both, "playing");
    assert.ok(line.position > before + 0.3, `room plays from ${line.position} s, the seeks went past ${before} s`);
  });

  await t.test("at a person's pace: Space, ArrowLeft, ArrowLeft, Space, ArrowRight, Space on a playing video ends paused", { timeout: 30_000 }, async () => {
    await press(host, ["Space", "ArrowLeft", "ArrowLeft", "Space", "ArrowRight", "Space"], 80);
    await settle(both, "paused");
  });
});
