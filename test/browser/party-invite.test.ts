/**
 * Invites and privacy in real Chromium over the real server: an unlisted
 * room with a password is not in another viewer's lobby; joining it without
 * the password gets a coded error; the invite page shows the room's name,
 * host and title before asking for a name and the password; a wrong
 * password is said on the form; a link to a room that is gone says so at
 * once. Name inputs take the server's limit from client_hello.limits.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { openPartyPage, waitMediaReady } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("unlisted password room: not in the lobby, coded refusal without the password, invite page names the room", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  // A limit other than the default 100, so the page can only know it from client_hello.limits.
  const server = await startServer(t, { maxNameLength: 120 });
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  // The page takes the name limit from the server (120 here), instead of cutting at 64.
  await host.waitForFunction(() => (document.getElementById("display-name") as HTMLInputElement).maxLength === 120);
  const longName = `H${"a".repeat(119)}`;
  await host.getByLabel("Your name").fill(`${longName}-cut`);
  assert.equal(await host.getByLabel("Your name").inputValue(), longName);
  await host.getByLabel("Room name").fill("Secret screening");
  await host.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill(`${files.url}/clip.mp4`);
  await host.getByText("Privacy").click();
  await host.getByLabel("Unlisted: only people with the invite link see it").check();
  await host.getByLabel(/^Password/).fill("tulip");
  await host.getByRole("button", { name: "Create room" }).click();
  await host.locator("main.room").waitFor({ timeout: 20_000 });
  await waitMediaReady(host);
  const invite = await host.locator("#invite-link").inputValue();
  const roomId = new URL(invite).searchParams.get("room") ?? "";
  assert.equal(await host.locator(".participant .name").first().textContent(), longName);

  // Another viewer's lobby does not list it; asking to join without the password is refused with a code.
  const other = await openPartyPage(browser, { teardown: t, storedName: "Olga" });
  await other.goto(`${server.httpUrl}/`);
  await other.getByRole("heading", { name: "Open rooms" }).waitFor();
  await other.getByText("No open rooms yet").waitFor();
  const refusal = await other.evaluate(async (id) => {
    const party = (window as unknown as { __party: { client: { joinRoom(id: string): Promise<unknown> } } }).__party;
    try {
      await party.client.joinRoom(id);
      return "joined";
    } catch (err) {
      return (err as { code: string }).code;
    }
  }, roomId);
  assert.equal(refusal, "password_required");

  // The invite link shows the room before asking for anything.
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await guest.goto(invite);
  await guest.locator(".invite-room-name", { hasText: "Secret screening" }).waitFor();
  await guest.locator(".invite-media", { hasText: "clip.mp4" }).waitFor();
  await guest.locator(".invite-who", { hasText: `host: ${longName}` }).waitFor();
  assert.equal(await guest.getByLabel("Your name").inputValue(), "Gus");
  await guest.getByLabel("Room password").fill("rose");
  await guest.getByRole("button", { name: "Join" }).click();
  await guest.locator(".form-error", { hasText: "password does not match" }).waitFor();
  await guest.getByLabel("Room password").fill("tulip");
  await guest.getByRole("button", { name: "Join" }).click();
  await guest.locator("main.room").waitFor();
  await host.locator(".participant", { hasText: "Gus" }).waitFor();

  // A link to a room that is gone says so at once, without asking for a name.
  const late = await openPartyPage(browser, { teardown: t });
  await late.goto(`${server.httpUrl}/?room=gone000000`);
  await late.getByRole("heading", { name: "This watch party is not available" }).waitFor();
  assert.equal(await late.getByLabel("Your name").count(), 0);
});
