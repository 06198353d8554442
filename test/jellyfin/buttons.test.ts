/**
 * The Watch Party buttons are not SyncPlay's: in the stand-in page that
 * reproduces Jellyfin Web's header and video OSD markup, each sits beside
 * SyncPlay's button with its own label and an icon whose pixels differ.
 * `UPDATE_SCREENSHOTS=1` writes docs/screenshots/jellyfin-buttons.png.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Locator } from "playwright-core";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { EPISODE_1 } from "../fixtures/jellyfin/users.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { startServer } from "../support/server.js";
import { waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });

/** Fraction of bytes that differ between two same-sized button screenshots (PNG bytes are a proxy; equal icons give equal files). */
async function differ(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = await Promise.all([a.screenshot(), b.screenshot()]);
  return !x.equals(y);
}

test("Watch Party buttons: own label and icon beside SyncPlay's, in the header and the OSD", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const jf = await startStandIn(t, { mediaFile: media.mp4Path });
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const browser = await launchBrowser({ teardown: t });
  const context = await browser.newContext({ viewport: { width: 800, height: 450 }, deviceScaleFactor: 2 });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.addInitScript(() => Object.assign(window, { __fixtureToken: "token-alice" }));
  await page.goto(`${jf.url}/web/index.html#/home`);
  await page.evaluate((src) => document.head.append(Object.assign(document.createElement("script"), { src })), `${server.httpUrl}/jellyfin.js`);
  await page.evaluate((id) => (location.hash = `#/details?id=${id}`), EPISODE_1);
  await page.locator("#itemDetailPage .btnPlay").click();
  await page.locator('[data-osp-button="osd"]').waitFor();
  await waitVideo(page, (v) => !v.paused && v.time > 1, "the episode playing");

  const pairs = [
    { ours: page.locator('.headerRight [data-osp-button="header"]'), theirs: page.locator(".headerRight .headerSyncButton") },
    { ours: page.locator('.videoOsdBottom .buttons [data-osp-button="osd"]'), theirs: page.locator(".videoOsdBottom .btnSyncPlay") },
  ];
  for (const { ours, theirs } of pairs) {
    assert.equal(await ours.getAttribute("aria-label"), "Watch Party (OpenSyncParty)");
    assert.notEqual(await ours.getAttribute("title"), await theirs.getAttribute("title"));
    assert.equal(await ours.locator(".material-icons, .groups").count(), 0, "not Jellyfin's groups glyph");
    assert.ok(await differ(ours, theirs), "the icons render differently");
  }
  // Our header button sits right before SyncPlay's; the OSD one before the settings button.
  assert.equal(await page.evaluate(() => document.querySelector('[data-osp-button="header"]')?.nextElementSibling?.classList.contains("headerSyncButton")), true);
  assert.equal(await page.evaluate(() => document.querySelector('[data-osp-button="osd"]')?.nextElementSibling?.classList.contains("btnVideoOsdSettings")), true);
  if (process.env.UPDATE_SCREENSHOTS === "1") await page.screenshot({ path: "docs/screenshots/jellyfin-buttons.png" });
});
