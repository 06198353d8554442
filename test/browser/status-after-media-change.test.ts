/**
 * After the host changes the media (the next episode), each viewer's own
 * status — the line under the video and their row in the list — says how
 * they are doing on the new media, not "loading media…" for as long as the
 * room stays paused. Public reports of this kind (a viewer who cannot tell
 * whether everyone has the next item loaded, or is stuck waiting between
 * items): Syncplay/syncplay#532, jellyfin/jellyfin-mpv-shim#168. Before the
 * fix the page subscribed to the new engine's status after the engine had
 * already said it, so the word stayed "loading media…" until the next
 * change of state (someone pressed play).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { joinByInvite, openPartyPage, waitMediaReady } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

/** The page's own word ("in sync", "loading media…") once it stops saying "loading media…", or what it still says after 15 s. */
async function settledWord(page: Page): Promise<string> {
  const word = () => page.locator("[data-word]").first().getAttribute("data-word");
  try {
    await page.waitForFunction(() => document.querySelector("[data-word]")?.getAttribute("data-word") !== "loading media…", null, {
      timeout: 15_000,
    });
  } catch {
    // fall through: the assertion names the word it stuck at
  }
  return (await word()) ?? "";
}

test("a media change while paused: every viewer's own status leaves 'loading media…' once the new media is loaded", { skip, timeout: 120_000 }, async (t) => {
  const { browser, host: alice, invite, mediaUrl } = await startHostRoom(t, { roomName: "Next episode", hostName: "Alice" });
  const bob = await openPartyPage(browser, { teardown: t, storedName: "Bob" });
  await joinByInvite(bob, invite);
  for (const page of [alice, bob]) assert.notEqual(await settledWord(page), "loading media…", "before the change");

  const next = `${mediaUrl}?episode=2`;
  await alice.getByText("Change media", { exact: true }).first().click();
  await alice.getByLabel("New media URL").fill(next);
  await alice.getByRole("button", { name: "Change media" }).click();
  for (const page of [alice, bob]) {
    await page.waitForFunction((url) => (document.querySelector("video") as HTMLVideoElement).currentSrc === url, next, { timeout: 15_000 });
    await waitMediaReady(page);
  }
  for (const [name, page] of [["Alice", alice], ["Bob", bob]] as const) {
    const word = await settledWord(page);
    assert.notEqual(word, "loading media…", `${name}'s new media is loaded (the room is paused), but the page still says "loading media…"`);
    const row = (await page.locator("ul.participants li", { hasText: "(you)" }).textContent()) ?? "";
    assert.ok(!row.includes("loading media…"), `${name}'s own row: ${row}`);
  }
});
