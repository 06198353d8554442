/**
 * The standalone page with an HLS room: the joiner loads the same playlist
 * (natively where Chromium can play HLS, else via the lazily fetched hls.js
 * chunk) and plays in sync with the host.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage, waitInSync } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("standalone page: an HLS room plays in sync for a joiner", { skip, timeout: 90_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  const invite = await createRoom(host, { displayName: "Host", roomName: "HLS night", mediaUrl: `${files.url}/hls/index.m3u8` });
  assert.equal(await host.locator(".media-title").textContent(), "index.m3u8");

  const guest = await openPartyPage(browser, { teardown: t, storedName: "Guest" });
  await joinByInvite(guest, invite);
  await host.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([host, guest], { playing: true, toleranceS: 0.15, minPosition: 0.5 });
  await host.evaluate(() => (window as unknown as { __party: { client: { seek(p: number): Promise<unknown> } } }).__party.client.seek(12));
  await waitInSync([host, guest], { playing: true, toleranceS: 0.15, minPosition: 12 });
});
