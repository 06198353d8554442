/**
 * Jellyfin Web's own player controls with the party script, in the order
 * the real client runs them (the stand-in's OSD: test/fixtures/jellyfin/
 * fixture.js): the position slider, the play/pause button, the OSD keys
 * (ArrowLeft rewinds 10 s, Space plays/pauses) pressed right after each
 * other, a guest's key that is not theirs to press, and the host leaving
 * the player (back: Jellyfin stops it) and coming back. Each ends where the person meant,
 * for everyone. Found: ArrowLeft then Space on a playing video left the room
 * playing (the engine held the video for the seek's start, so Space played it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { EPISODE_1 } from "../fixtures/jellyfin/users.js";
import { PAUSED_TOLERANCE_S, PLAYING_TOLERANCE_S, startParty } from "./party-steps.js";
import { waitSettled, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });

interface Line {
  play_state: string;
  position: number;
}

/** The room's line as the page's party script knows it (the panel's client). */
function roomLine(page: Page): Promise<Line | null> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>("video.htmlvideoplayer");
    return v ? { play_state: v.paused ? "paused" : "playing", position: v.currentTime } : null;
  });
}

/** Both stay `state` 1.5 s later too (no late answer turns it around), within the standalone bounds. */
async function stays(pages: Page[], state: "playing" | "paused", minPosition = 0): Promise<void> {
  const o = { playing: state === "playing", toleranceS: state === "playing" ? PLAYING_TOLERANCE_S : PAUSED_TOLERANCE_S, minPosition };
  await waitInSync(pages, o);
  await pages[0]?.waitForTimeout(1500);
  await waitInSync(pages, { ...o, timeoutMs: 3000 });
}

async function osdKeys(page: Page, keys: string[]): Promise<void> {
  // Jellyfin's shortcuts go to the page, not to a focused panel input.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (const k of keys) await page.keyboard.press(k);
}

test("Jellyfin Web OSD controls with the party script: each ends where the person meant, for everyone", { skip, timeout: 240_000 }, async (t) => {
  const { alice, bob } = await startParty(t, "real");
  const both = [alice, bob];
  await waitInSync(both, { playing: true, toleranceS: PLAYING_TOLERANCE_S });
  await waitSettled(alice, "alice's playback");

  await t.test("the position slider moves everyone there, still playing", { timeout: 30_000 }, async () => {
    await alice.locator(".osdPositionSlider").fill("70");
    await stays(both, "playing", 20.5);
  });

  await t.test("ArrowLeft then Space pauses everyone where the rewind went", { timeout: 30_000 }, async () => {
    await waitSettled(alice, "alice's playback");
    const before = (await roomLine(alice))?.position ?? 0;
    await osdKeys(alice, ["ArrowLeft", " "]);
    await stays(both, "paused");
    const after = (await roomLine(bob))?.position ?? 0;
    assert.ok(Math.abs(after - (before - 10)) < 1, `paused at ${after} s, the rewind went to ${before - 10} s`);
  });

  await t.test("the play/pause button plays, then pauses, everyone", { timeout: 30_000 }, async () => {
    await alice.locator("#videoOsdPage .btnPause").click();
    await stays(both, "playing");
    await waitSettled(alice, "alice's playback");
    await alice.locator("#videoOsdPage .btnPause").click();
    await stays(both, "paused");
    await alice.locator("#videoOsdPage .btnPause").click();
    await stays(both, "playing");
  });

  await t.test("a guest's Space is undone: the room keeps playing", { timeout: 30_000 }, async () => {
    await waitSettled(bob, "bob's playback");
    await osdKeys(bob, [" "]);
    await stays(both, "playing");
  });

  await t.test("the host leaves the player (back) and plays the item again: back on the room's line", { timeout: 60_000 }, async () => {
    await waitSettled(alice, "alice's playback");
    await alice.evaluate(() => history.back());
    await alice.waitForFunction(() => !document.querySelector("video.htmlvideoplayer"), undefined, { timeout: 10_000 });
    // Jellyfin's stop pauses the element and empties it at once (load() drops the queued pause event): not a pause of the room.
    await bob.waitForTimeout(1500);
    await waitVideo(bob, (v) => v.bound && !v.paused, "bob still playing with the room");
    await alice.evaluate((id) => (location.hash = `#/details?id=${id}`), EPISODE_1);
    await alice.locator("#itemDetailPage .btnPlay").click();
    await waitVideo(alice, (v) => v.bound && !v.paused && v.ready >= 2, "alice bound again and playing", 30_000);
    await stays(both, "playing");
  });
});
