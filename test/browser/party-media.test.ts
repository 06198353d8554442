/**
 * Media that says what is wrong, in real Chromium over the real server:
 * before a room is made, a 404, a refused port and a server without Range
 * support each get their own named message; a Jellyfin-style stream URL
 * without a file extension makes a room; the host changes the media
 * mid-party and the guest follows, both starting the new media at 0; media
 * that fails later is named in the room and the host can replace it.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage, waitInSync, waitMediaReady } from "../support/party-page.js";
import { unusedPort } from "../support/process-probe.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const TOLERANCE_S = 0.15;

/** Submits the lobby form with `url`; returns the named problem (kind and text) once the probe answers. */
async function tryCreate(page: Page, url: string): Promise<{ kind: string | null; text: string }> {
  await page.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill(url);
  await page.getByRole("button", { name: "Create room" }).click();
  const error = page.locator(".create-room .form-error[data-kind]");
  await error.waitFor({ timeout: 20_000 });
  return { kind: await error.getAttribute("data-kind"), text: (await error.textContent()) ?? "" };
}

test("bad media is named before a room exists; a Jellyfin stream URL works; the host changes media and the guest follows from 0", { skip, timeout: 150_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const noRange = await startStaticServer([media.mediaDir], { teardown: t, ignoreRange: true });
  // What `python3 -m http.server` is: no Range and no CORS, so the page cannot read the Range answer.
  const plain = await startStaticServer([media.mediaDir], { teardown: t, ignoreRange: true, noCors: true });
  // Jellyfin's static stream URL: no extension, the item id in the path, the key in the query.
  const jellyfin = await startStaticServer([media.mediaDir], {
    teardown: t,
    rewrite: (path) => (/^\/Videos\/[^/]+\/stream$/.test(path) ? "/clip.mp4" : path),
  });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  await host.getByLabel("Your name").fill("Hana");
  await host.getByLabel("Room name").fill("Media checks");

  const notFound = await tryCreate(host, `${files.url}/missing.mp4`);
  const refused = await tryCreate(host, `http://127.0.0.1:${await unusedPort()}/movie.mp4`);
  const rangeless = await tryCreate(host, `${noRange.url}/clip.mp4`);
  const plainServer = await tryCreate(host, `${plain.url}/clip.mp4`);
  t.diagnostic(`no Range, no CORS: ${plainServer.text}`);
  assert.equal(plainServer.kind, "no_range", "a server without Range is named even when CORS hides its answer");
  assert.match(plainServer.text, /No Range support.*seeking will not work/);
  t.diagnostic(`404: ${notFound.text}`);
  t.diagnostic(`refused: ${refused.text}`);
  t.diagnostic(`no Range: ${rangeless.text}`);
  assert.equal(notFound.kind, "not_found");
  assert.match(notFound.text, /not found.*404/i);
  assert.equal(refused.kind, "refused");
  assert.match(refused.text, /unreachable.*refused/i);
  assert.equal(rangeless.kind, "no_range");
  assert.match(rangeless.text, /No Range support.*seeking will not work/);
  assert.equal(new Set([notFound.text, refused.text, rangeless.text]).size, 3, "three different messages");
  assert.equal(server.core.hub.rooms.size, 0, "no room was made from bad media");

  const streamUrl = `${jellyfin.url}/Videos/4f2a9c0d/stream?static=true&ApiKey=0123456789abcdef`;
  await host.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill(streamUrl);
  await host.getByRole("button", { name: "Create room" }).click();
  await host.locator("main.room").waitFor({ timeout: 20_000 });
  await waitMediaReady(host);
  const [room] = server.core.hub.rooms.values();
  assert.equal(room?.media.url, streamUrl, "the room plays the extension-less stream URL");

  const guest = await openPartyPage(browser, { teardown: t });
  await joinByInvite(guest, await host.locator("#invite-link").inputValue(), "Gus");
  await host.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([host, guest], { playing: true, toleranceS: TOLERANCE_S, minPosition: 2 });

  // Mid-party, the host switches to other media; nobody starts it at the old position.
  const nextUrl = `${files.url}/clip.mp4`;
  await host.getByText("Change media", { exact: true }).first().click();
  await host.getByLabel("New media URL").fill(nextUrl);
  await host.getByRole("button", { name: "Change media" }).click();
  for (const page of [host, guest]) {
    await page.waitForFunction((url) => (document.querySelector("video") as HTMLVideoElement).currentSrc === url, nextUrl, { timeout: 20_000 });
    await waitMediaReady(page);
    await page.locator(".media-title", { hasText: "clip.mp4" }).waitFor();
  }
  const parked = await waitInSync([host, guest], { playing: false, toleranceS: 0.05 });
  assert.ok(parked.every((s) => s.currentTime < 0.1), `the new media starts at 0: ${JSON.stringify(parked)}`);
  assert.equal(room?.timeline.position, 0);
  assert.equal(room?.timeline.play_state, "paused");

  await host.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([host, guest], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.5 });
});

test("media that fails later is named in the room, and the host can change a broken room's media", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const flaky = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  await createRoom(host, { displayName: "Hana", roomName: "Flaky", mediaUrl: `${flaky.url}/clip.mp4` });
  // The media server goes away; the host reloads and comes back to a room whose media cannot load.
  await flaky.close();
  await host.reload();
  await host.locator("main.room").waitFor();
  const banner = host.locator('.banner[data-source="media"]', { hasText: "Media server unreachable" });
  await banner.waitFor({ timeout: 20_000 });
  assert.equal(await host.locator(".my-status").getAttribute("data-word"), "media problem");
  assert.equal(await host.locator("details.change-media").getAttribute("open"), "", "Change media is opened for the host");

  await host.getByLabel("New media URL").fill(`${files.url}/clip.mp4`);
  await host.getByRole("button", { name: "Change media" }).click();
  await waitMediaReady(host);
  await host.getByRole("button", { name: "Play", exact: true }).click();
  await host.waitForFunction(() => (document.querySelector("video") as HTMLVideoElement).currentTime > 0.5, undefined, { timeout: 20_000 });
});
