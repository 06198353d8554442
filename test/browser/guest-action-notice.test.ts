/**
 * A guest who may not control the room pauses, plays or jumps with the
 * <video>'s own controls: their player goes back to the room's timeline AND
 * the page says why. Undone in silence, it looks like a broken button.
 * Public reports of this kind: robrotheram/go-watch2gether#1 (clients keep
 * working player controls the host has not allowed them), edde746/plezy#1052
 * ("the play button does not seem to be responding").
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

async function noticeAfter(page: Page, act: string): Promise<string> {
  await page.evaluate(() => {
    (document.querySelector("#action-notice") as HTMLElement | null)?.replaceChildren();
  });
  await page.evaluate(act);
  try {
    await page.waitForFunction(() => (document.querySelector("#action-notice")?.textContent ?? "") !== "", null, { timeout: 10_000 });
  } catch {
    // the assertion says what is missing
  }
  return page.evaluate(() => document.querySelector("#action-notice")?.textContent ?? "(no notice on the page)");
}

test("a guest's pause, play and jump in the <video> controls are undone with a notice saying why", { skip, timeout: 120_000 }, async (t) => {
  const { host: alice, guest: bob } = await startHostedParty(t, { roomName: "Host only", hostName: "Alice", guestName: "Bob" });
  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: 0.2, minPosition: 0.5 });

  const paused = await noticeAfter(bob, `document.querySelector("video").pause()`);
  assert.match(paused, /only the host can pause/i, "Bob's pause while the room plays");
  await waitInSync([alice, bob], { playing: true, toleranceS: 0.2 });

  const jumped = await noticeAfter(bob, `document.querySelector("video").currentTime += 8`);
  assert.match(jumped, /only the host can jump/i, "Bob's jump");
  await waitInSync([alice, bob], { playing: true, toleranceS: 0.2 });

  await alice.getByRole("button", { name: "Pause", exact: true }).click();
  await waitInSync([alice, bob], { playing: false, toleranceS: 0.2 });
  const played = await noticeAfter(bob, `document.querySelector("video").play()`);
  assert.match(played, /only the host can play/i, "Bob's play while the room is paused");
  await waitInSync([alice, bob], { playing: false, toleranceS: 0.2 });
  assert.equal(await alice.evaluate(() => document.querySelector("#action-notice")?.textContent), "", "the host, who may, is told nothing");
});
