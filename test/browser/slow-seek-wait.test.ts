/**
 * The host jumps while a guest's link is too slow to fetch the new spot: the
 * guest's seek hangs for seconds, and a room set to "Wait for buffering
 * viewers" (the default) waits for them instead of playing on without them.
 * Public reports of this kind: andrewrabert/jellium-desktop#192 ("Sync Play
 * - Skip causes desync and (or) playback stalls": a skip on one client, the
 * other stops while the first plays on), Syncplay/syncplay#452 (a seek
 * forward that one slow player cannot follow). Reproduced with a held media
 * link; the current code already waits (about 6 s after the jump on this
 * machine), so this guards the behaviour rather than a fix.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason } from "../support/browser.js";
import { holdMediaPast } from "../support/held-media.js";
import { joinByInvite, openPartyPage, waitInSync } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("a guest whose seek hangs on a slow link is waited for, then everyone plays on together", { skip, timeout: 120_000 }, async (t) => {
  const { browser, host: alice, invite } = await startHostRoom(t, { roomName: "Slow seek", hostName: "Alice" });
  const bob = await openPartyPage(browser, { teardown: t, storedName: "Bob" });
  // Bob's link: 64 KB per range request, and requests past the first third of the
  // clip (0:10 of 0:30) wait until released — the jump to 0:15 hangs.
  const link = await holdMediaPast(bob, 1 / 3);
  await joinByInvite(bob, invite);
  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: 0.2, minPosition: 1 });

  await alice.evaluate(() => {
    (document.querySelector("video") as HTMLVideoElement).currentTime = 15;
  });
  const log = alice.locator("ol.activity-log");
  try {
    await log.getByText("Waiting for Bob", { exact: false }).first().waitFor({ timeout: 30_000 });
  } catch {
    const lines = await alice.evaluate(() => document.querySelector("ol.activity-log")?.textContent ?? "");
    const bobAt = await bob.evaluate(() => {
      const v = document.querySelector("video") as HTMLVideoElement;
      return { at: v.currentTime, seeking: v.seeking, readyState: v.readyState };
    });
    assert.fail(`the room never waited for Bob, whose seek hangs (${JSON.stringify(bobAt)}); Alice's activity: ${lines}`);
  }
  // The room's pause lands at its scheduled instant, a lead after the wait is announced.
  await alice
    .waitForFunction(() => (document.querySelector("video") as HTMLVideoElement).paused, null, { timeout: 15_000 })
    .catch(() => assert.fail("Alice's player never paused for the wait"));

  link.release();
  await waitInSync([alice, bob], { playing: true, toleranceS: 0.2, minPosition: 15, timeoutMs: 30_000 });
});
