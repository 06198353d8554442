/**
 * A Jellyfin member who plays another item on purpose (after the party took
 * it to the room's item once) is not on the party: its panel must say so
 * plainly ("not synced", not "taking you there…" forever), the host's list
 * must not keep its last "in sync", and going back to the room's item joins
 * again. Real Chromium, the stand-in Jellyfin, a real party server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { EPISODE_1, EPISODE_2 } from "../fixtures/jellyfin/users.js";
import { browserSkipReason } from "../support/browser.js";
import { measured, startParty } from "./party-steps.js";
import { playerLine, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });

async function playItem(page: Page, id: string): Promise<void> {
  await page.evaluate((i) => (location.hash = `#/details?id=${i}`), id);
  await page.locator("#itemDetailPage .btnPlay").click();
}

test("a Jellyfin member on its own item is told it is not synced, the host does not count it in sync, and it rejoins", { skip, timeout: 180_000 }, async (t) => {
  const { alice, bob } = await startParty(t, "real");
  await playItem(bob, EPISODE_2);
  await waitVideo(bob, (v) => !v.bound && !v.paused && v.time > 0.2, "bob playing episode 2, not bound", 30_000);
  const bobRow = alice.locator("#opensyncparty-panel .participant", { hasText: "Bob Jellyfin" }).locator(".sync");
  await bobRow.filter({ hasText: "media problem" }).waitFor({ timeout: 20_000 }).catch(async () => {
    assert.fail(`alice's list still says "${await bobRow.textContent()}" for bob on another item`);
  });
  const line = await playerLine(bob);
  assert.match(line, /not synced/i, `bob's panel says plainly he is off the party: "${line}"`);
  assert.doesNotMatch(line, /taking you there/, `bob's panel does not promise a move that will not come: "${line}"`);
  // Bob's own choice stands: he is left playing, unbound (not taken back).
  await waitVideo(bob, (v) => !v.bound && !v.paused, "bob still playing his own item");

  await playItem(bob, EPISODE_1);
  await waitVideo(bob, (v) => v.bound && !v.paused, "bob back on the party's item and bound", 30_000);
  await measured(alice, "Bob Jellyfin");
});
