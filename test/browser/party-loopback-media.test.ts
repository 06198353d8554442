/**
 * A host on http://localhost whose invite link uses the LAN address is
 * warned that a localhost / 127.x media link cannot be played by friends —
 * while typing it, and in the room (not blocked) — and sees a guest whose
 * media does not load as "media problem", not "measuring…" for ever. The
 * guest's media failure is a failed request for the media file (what a
 * friend's browser gets for the host's loopback link); only loopback
 * exists here, so the LAN address is set as the server's guess and the
 * guest opens the page at a loopback address. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { openPartyPage, waitMediaReady } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("loopback media: the host is warned, and sees a guest's media problem", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const port = new URL(server.httpUrl).port;
  server.core.hub.lanUrl = `http://192.0.2.2:${port}/`;
  const mediaUrl = `${files.url.replace("127.0.0.1", "localhost")}/clip.mp4`;
  assert.match(mediaUrl, /^http:\/\/localhost:/);
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`http://localhost:${port}/`);
  await host.getByLabel("Your name").fill("Hana");
  await host.getByLabel("Room name").fill("Loopback");
  await host.locator(".room-list").waitFor();
  await host.waitForFunction(() => (window as unknown as { __party: { client: { connection: { state: string } } | null } }).__party.client?.connection.state === "open");
  await host.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill(mediaUrl);
  const typed = host.locator("#media-url-warning");
  await typed.waitFor();
  assert.match((await typed.textContent()) ?? "", /Friends can't play this media: localhost means "this computer".*192\.0\.2\.2/);
  await host.getByRole("button", { name: "Create room" }).click();
  await host.locator("main.room").waitFor();
  await waitMediaReady(host);
  const invite = await host.locator("#invite-link").inputValue();
  assert.match(invite, /^http:\/\/192\.0\.2\.2:/);
  const inRoom = host.locator("#invite-warning");
  assert.match((await inRoom.textContent()) ?? "", /Friends can't play this media/);
  assert.equal(await inRoom.isVisible(), true);

  // The friend cannot load the host's loopback link.
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await guest.route("**/clip.mp4*", (route) => route.abort("connectionrefused"));
  await guest.goto(invite.replace("192.0.2.2", "127.0.0.1"));
  await guest.locator("main.room").waitFor();
  await guest.locator('.my-status[data-word="media problem"]').waitFor({ timeout: 30_000 });
  const guestRow = host.locator(".participant", { hasText: "Gus" }).locator(".sync-text");
  await guestRow.filter({ hasText: "media problem" }).waitFor({ timeout: 20_000 });

  // Changing the media: the form warns while typing another loopback link; a reachable one clears the room's warning.
  await host.getByText("Change media", { exact: true }).first().click();
  await host.getByLabel("New media URL").fill("http://127.0.0.1:9/other.mp4");
  assert.match((await host.locator("#new-media-url-warning").textContent()) ?? "", /127\.0\.0\.1 means "this computer"/);
  await host.getByLabel("New media URL").fill("http://192.0.2.2:9/other.mp4");
  assert.equal(await host.locator("#new-media-url-warning").textContent(), "");
  await host.evaluate(() =>
    (window as unknown as { __party: { client: { updateSettings(s: object): Promise<void> } } }).__party.client.updateSettings({ media_url: "http://192.0.2.2:9/other.mp4" }),
  );
  await inRoom.waitFor({ state: "hidden", timeout: 10_000 });
});
