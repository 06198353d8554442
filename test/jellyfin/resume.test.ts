/**
 * A joiner whose Jellyfin has a resume point on the room's item. Jellyfin
 * Web's Play button resumes there (itemDetails: startPositionTicks =
 * UserData.PlaybackPositionTicks): `#t=` on the stream, hls.js
 * `startPosition`, and on the element's first `playing` htmlVideoPlayer
 * seeks there itself when it is 1 s or more away (seekOnPlaybackStart).
 * That seek is Jellyfin's start, not the viewer's: the room, shared
 * control or not, stays where it is, and the joiner lands on it.
 */
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { startParty } from "./party-steps.js";
import { hostVideo, openViewer, waitSettled, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });
/** Carol's resume point, s: far from where the room is (it never passes 12 s in these tests). */
const RESUME_AT_S = 24;

/** Records every position `page`'s Jellyfin player seeks to (from now on). */
async function recordSeeks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __seeks: number[] };
    w.__seeks = [];
    document.querySelector("video.htmlvideoplayer")?.addEventListener("seeking", (e) => w.__seeks.push((e.target as HTMLVideoElement).currentTime));
  });
}

const seeks = (page: Page) => page.evaluate(() => (window as unknown as { __seeks: number[] }).__seeks);

async function sharedControl(alice: Page): Promise<void> {
  // The panel has no switch for it; the room setting is what matters here.
  await alice.evaluate(() => (window as unknown as { OpenSyncParty: { party: { client: { updateSettings(s: object): Promise<unknown> } } } }).OpenSyncParty.party.client.updateSettings({ shared_control: true }));
}

async function carolJoins(t: TestContext, order: "real" | "hls", paused: boolean): Promise<void> {
  const { browser, urls, alice, bob } = await startParty(t, order);
  await bob.close();
  await sharedControl(alice);
  await waitSettled(alice, "alice's playback");
  await hostVideo(alice, { seek: 2 });
  await waitSettled(alice, "alice's playback after the seek");
  if (paused) await hostVideo(alice, "pause");
  await alice.waitForFunction(
    (p) => (window as unknown as { OpenSyncParty: { party: { client: { room: { timeline: { play_state: string } } } } } }).OpenSyncParty.party.client.room.timeline.play_state === p,
    paused ? "paused" : "playing",
  );
  await waitVideo(alice, (v) => v.paused === paused && !v.seeking && v.time < 8, `alice ${paused ? "paused" : "playing"} near 2 s`);
  await recordSeeks(alice);

  const carol = await openViewer(browser, t, { ...urls, token: "token-joinonly", order, resumeAt: RESUME_AT_S });
  await carol.locator('[data-osp-button="header"]').click();
  await carol.locator("#opensyncparty-panel .room .join").click();
  await waitVideo(carol, (v) => v.bound && v.ready >= 2, "carol bound to the party", 30_000);
  const synced = await waitInSync([alice, carol], { playing: !paused, toleranceS: paused ? 0.1 : 0.2 });
  assert.ok((synced[0]?.currentTime ?? 99) < 12, `the room stayed where it was, not at carol's resume point: ${JSON.stringify(synced)}`);
  const aliceSeeks = await seeks(alice);
  assert.ok(!aliceSeeks.some((s) => s >= RESUME_AT_S - 1), `alice was never moved to carol's resume point; her seeks: ${JSON.stringify(aliceSeeks)}`);
}

describe("Jellyfin Web: a joiner's resume point does not move the room", { skip, timeout: 600_000 }, () => {
  test("direct play, room playing", { timeout: 180_000 }, (t) => carolJoins(t, "real", false));
  test("direct play, room paused", { timeout: 180_000 }, (t) => carolJoins(t, "real", true));
  test("hls.js, room playing", { timeout: 180_000 }, (t) => carolJoins(t, "hls", false));
});
