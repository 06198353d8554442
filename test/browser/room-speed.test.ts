/**
 * Speed is a room property (issue 9), in real Chromium on the standalone
 * page: the host's choice in the page's speed menu and on the <video>
 * element itself reaches every viewer and a late joiner; a guest's is put
 * back with a notice. Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { joinByInvite, openPartyPage, waitInSync } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const TOLERANCE_S = 0.15;

/** Waits until the page's <video> plays at `rate` give or take the engine's micro-correction (±5 %). */
async function waitRate(page: Page, rate: number): Promise<void> {
  await page.waitForFunction(
    (r) => {
      const v = document.querySelector("video") as HTMLVideoElement;
      return Math.abs(v.playbackRate - r) <= r * 0.051;
    },
    rate,
    { timeout: 15_000 },
  );
}

test("room speed: host's speed menu and <video>.playbackRate reach everyone; a guest's is put back", { skip, timeout: 120_000 }, async (t) => {
  const { server, browser, host: alice, guest: bob, invite } = await startHostedParty(t, { roomName: "Speed", hostName: "Alice", guestName: "Bob" });
  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.5 });

  // The page's speed menu.
  await alice.getByLabel("Speed").selectOption("1.5");
  await waitRate(bob, 1.5);
  await waitRate(alice, 1.5);
  assert.equal(server.core.hub.rooms.values().next().value!.timeline.rate, 1.5);
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S });

  // The <video> element itself (its own controls' speed menu sets playbackRate).
  await alice.evaluate(() => {
    (document.querySelector("video") as HTMLVideoElement).playbackRate = 1.25;
  });
  await waitRate(bob, 1.25);
  await alice.waitForFunction(() => (document.querySelector("#speed") as HTMLSelectElement).value === "1.25");

  // A late joiner plays at the room's rate.
  const carol = await openPartyPage(browser, { teardown: t, storedName: "Carol" });
  await joinByInvite(carol, invite);
  await waitRate(carol, 1.25);
  await waitInSync([alice, bob, carol], { playing: true, toleranceS: TOLERANCE_S });

  // A guest may not: put back, with a notice.
  assert.equal(await bob.getByLabel("Speed").isDisabled(), true, "the menu is the controller's");
  await bob.evaluate(() => {
    (document.querySelector("video") as HTMLVideoElement).playbackRate = 2;
  });
  await bob.locator("#speed-notice", { hasText: "only the host can change" }).waitFor({ timeout: 10_000 });
  await waitRate(bob, 1.25);
  assert.equal(server.core.hub.rooms.values().next().value!.timeline.rate, 1.25, "the room's rate did not change");
  await waitInSync([alice, bob, carol], { playing: true, toleranceS: TOLERANCE_S });
});
