/**
 * /jellyfin.js in real Chromium against the Jellyfin Web 10.10/10.11
 * fixture and the stand-in Jellyfin (test/fixtures/jellyfin): button,
 * room with the item's id, a second viewer taken to the item and kept in
 * step, and re-binding when Jellyfin replaces the <video>.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { test } from "node:test";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { ITEM_ID } from "../fixtures/jellyfin/users.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { hostVideo, openViewer, waitSettled, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

test("Jellyfin Web script: create with the item's id, joiner taken to it, follows play/seek/pause across a <video> swap", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const jf = await startStandIn(t, { mediaFile: media.mp4Path });
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const browser = await launchBrowser({ teardown: t });
  const urls = { jellyfin: jf.url, party: server.httpUrl };

  const alice = await openViewer(browser, t, { ...urls, token: "token-alice" });
  await alice.locator('[data-osp-button="header"]').waitFor();
  await alice.evaluate((id) => (location.hash = `#/details?id=${id}`), ITEM_ID);
  await alice.locator("#itemDetailPage .btnPlay").click();
  await alice.locator('.videoOsdBottom .buttons [data-osp-button="osd"]').waitFor();
  await waitVideo(alice, (v) => !v.paused && v.time > 0.2, "alice playing");

  await alice.locator('[data-osp-button="osd"]').click();
  await alice.getByRole("button", { name: "Create" }).click();
  await alice.locator("#opensyncparty-panel .participant", { hasText: "Alice Jellyfin" }).waitFor();
  const room = await waitFor(() => [...server.core.hub.rooms.values()][0], "the room on the server");
  assert.equal(room.media.id, ITEM_ID, "the room carries the playing item's id");
  assert.equal(room.media.title, "Big Test Movie");

  const bob = await openViewer(browser, t, { ...urls, token: "token-bob" });
  await bob.locator('[data-osp-button="header"]').click();
  await bob.locator("#opensyncparty-panel .room .join").click();
  await waitVideo(bob, (v) => v.src.includes(ITEM_ID) && !v.paused && v.ready >= 2, "bob taken to the item and playing");
  await alice.locator("#opensyncparty-panel .participant", { hasText: "Bob Jellyfin" }).waitFor();
  await waitSettled(bob, "bob's playback");
  await waitSettled(alice, "alice's playback");

  await hostVideo(alice, "pause");
  await waitVideo(bob, (v) => v.paused, "bob paused");
  await waitVideo(alice, (v) => v.paused && !v.seeking, "alice's pause applied");
  await hostVideo(alice, { seek: 10 });
  await waitVideo(bob, (v) => v.paused && near(v.time, 10, 0.3), "bob paused at 10 s");
  await hostVideo(alice, "play");
  await waitVideo(bob, (v) => !v.paused && v.time > 10.2, "bob playing after 10 s");

  // Jellyfin replaces the host's element: the host's next pause still reaches bob.
  // Swap a playing element, as Jellyfin does: under load alice's own start may still be pending here.
  await waitSettled(alice, "alice's playback after play");
  await alice.evaluate(() => (window as unknown as { __fixture: { replaceVideo(): unknown } }).__fixture.replaceVideo());
  await waitVideo(alice, (v) => v.bound && v.ready >= 2 && !v.seeking && !v.paused && v.time > 9, "alice's new element bound and playing");
  await waitSettled(alice, "alice's new element");
  await hostVideo(alice, "pause");
  await waitVideo(bob, (v) => v.paused, "bob paused by the host's new element");

  // And the joiner's element is replaced: the new one follows the next seek.
  await bob.evaluate(() => (window as unknown as { __fixture: { replaceVideo(): unknown } }).__fixture.replaceVideo());
  await waitVideo(bob, (v) => v.bound && v.ready >= 1, "bob's new element bound");
  await hostVideo(alice, { seek: 4 });
  await waitVideo(bob, (v) => v.paused && near(v.time, 4, 0.3), "bob's new element at 4 s");

  // Jellyfin's own SyncPlay: while bob is in a SyncPlay group the script lets go of his player.
  const syncPlay = (type: string) =>
    bob.evaluate((ty) => (window as unknown as { __fixture: { syncPlayMessage(t: string): void } }).__fixture.syncPlayMessage(ty), type);
  await syncPlay("GroupJoined");
  await waitVideo(bob, (v) => !v.bound, "bob's player released during SyncPlay");
  await syncPlay("GroupLeft");
  await waitVideo(bob, (v) => v.bound, "bob's player back on the party after SyncPlay");

  await bob.locator("#opensyncparty-panel input[placeholder='Say something']").fill("hi from Bob");
  await bob.getByRole("button", { name: "Send" }).click();
  await alice.locator("#opensyncparty-panel .chat", { hasText: "hi from Bob" }).waitFor();
  if (process.env.OSP_SCREENSHOTS) {
    mkdirSync("docs/screenshots", { recursive: true });
    await alice.screenshot({ path: "docs/screenshots/jellyfin-panel.png" });
  }
});
