/**
 * The room's media becomes a Jellyfin item with no link the party page can
 * play (a Jellyfin host went on to the next episode: `room_settings` with a
 * new `media_id` only). Before, the room kept the old episode's URL beside
 * the new item, and the page went on playing the old video on the new
 * item's timeline, "in sync". Now the server drops the old URL, the page
 * stops following, says "Not synced" and the host sees "media problem".
 * Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const NEXT_ITEM = "5e1e5e1e5e1e5e1e5e1e5e1e5e1e0102";

test("party page: the room moving to a Jellyfin item without a link leaves the old video unsynced and says so", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });
  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(server.httpUrl);
  const invite = await createRoom(host, { displayName: "Hana", roomName: "Series", mediaUrl: `${files.url}/clip.mp4` });
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await joinByInvite(guest, invite);
  const guestRow = host.locator(".participant", { hasText: "Gus" }).locator(".sync-text");
  await guestRow.filter({ hasText: /in sync|behind|ahead/ }).waitFor({ timeout: 30_000 });

  // What the Jellyfin script sends when its host plays the next episode.
  await host.evaluate(
    (id) =>
      (window as unknown as { __party: { client: { updateSettings(s: object): Promise<void> } } }).__party.client.updateSettings({
        media_id: id,
        media_title: "Series · S1:E2 · Next",
        start_pos: 0,
      }),
    NEXT_ITEM,
  );
  const banner = guest.locator('.banner[data-source="media"]');
  await banner.filter({ hasText: "Not synced" }).waitFor({ timeout: 15_000 }).catch(async () => {
    assert.fail(`the guest's page does not say it is off the room's media: banner "${await banner.textContent().catch(() => "none")}", status "${await guest.locator(".my-status").textContent()}"`);
  });
  assert.match((await banner.textContent()) ?? "", /S1:E2/);
  await guestRow.filter({ hasText: "media problem" }).waitFor({ timeout: 15_000 }).catch(async () => {
    assert.fail(`the host's list says "${await guestRow.textContent()}" for a guest on the old video`);
  });
});
