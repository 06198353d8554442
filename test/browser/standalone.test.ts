/**
 * The standalone page end to end in real Chromium: the built page served by
 * the real party server, media from a static server. Viewers create a room,
 * join by invite link, play, seek, chat, drop and resume, pause, leave; a
 * late joiner lands where the room is; hostile names and chat stay text.
 * (The docs' pictures come from `npm run screenshots`, a realistic party, not from this test.)
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
const HOSTILE = `<img src=x onerror="window.__xss=1">`;
/** Inter-viewer tolerance for assertions, s (accuracy itself is measured by bench:browser). */
const TOLERANCE_S = 0.15;

test("standalone page: create, invite, play/seek/chat/drop/pause, late join, leave", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });
  const mediaUrl = `${files.url}/clip.mp4`;

  const alice = await openPartyPage(browser, { teardown: t });
  await alice.setViewportSize({ width: 1280, height: 800 });
  await alice.goto(`${server.httpUrl}/`);
  await alice.getByRole("heading", { name: "Start a watch party" }).waitFor();
  // Invalid media URLs are refused before they reach the server.
  await alice.getByLabel("Your name").fill("Alice");
  await alice.getByLabel("Room name").fill("x");
  await alice.getByLabel("Media URL (MP4, WebM, HLS or a Jellyfin stream link)").fill("javascript:alert(1)");
  await alice.getByRole("button", { name: "Create room" }).click();
  await alice.getByText("Only http:// and https:// media URLs are allowed.").waitFor();

  const roomName = `Movie night ${HOSTILE}`;
  const invite = await createRoom(alice, { displayName: "Alice", roomName, mediaUrl });
  assert.match(invite, /\/\?room=/);
  assert.equal(await alice.locator(".room-title").textContent(), roomName);

  // Bob has no stored name: the invite link asks for it, then joins directly.
  const bob = await openPartyPage(browser, { teardown: t });
  await joinByInvite(bob, invite, `Bob ${HOSTILE}`);
  await alice.locator(".participant", { hasText: "Bob" }).waitFor();
  assert.equal(await alice.locator(".participant .badge").count(), 1);

  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.5 });

  await alice.getByRole("button", { name: "Forward 10 seconds" }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: 10 });

  await bob.getByRole("textbox", { name: "Chat message" }).fill(`hi ${HOSTILE}`);
  await bob.getByRole("button", { name: "Send" }).click();
  await alice.locator(".chat-text", { hasText: `hi ${HOSTILE}` }).waitFor();
  await alice.locator(".participant .name", { hasText: `Bob ${HOSTILE}` }).waitFor();
  for (const page of [alice, bob]) {
    assert.equal(await page.locator("main img").count(), 0, "user text must never become markup");
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  }
  await alice.locator(".sync-text", { hasText: "in sync" }).first().waitFor();

  // Bob's connection drops; he resumes the same session and catches up.
  await bob.evaluate(() => {
    const w = window as unknown as { __party: { client: { connection: { drop(): void } } } };
    w.__party.client.connection.drop();
  });
  await bob.waitForFunction(() => {
    const c = (window as unknown as { __party: { client: { connection: { state: string }; room: unknown } } }).__party.client;
    return c.connection.state === "open" && c.room !== null;
  });
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S });
  assert.equal(await alice.locator(".participant").count(), 2, "Bob resumed instead of joining twice");

  await alice.getByRole("button", { name: "Pause", exact: true }).click();
  const paused = await waitInSync([alice, bob], { playing: false, toleranceS: 0.05 });

  // Carol joins late while the room plays, with a stored name (no prompt).
  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: TOLERANCE_S, minPosition: (paused[0]?.currentTime ?? 0) + 0.5 });
  const carol = await openPartyPage(browser, { teardown: t, storedName: "Carol" });
  await joinByInvite(carol, invite);
  await waitInSync([alice, bob, carol], { playing: true, toleranceS: TOLERANCE_S });
  assert.equal(await carol.getByRole("button", { name: "Play", exact: true }).isDisabled(), true, "only the host controls");

  await bob.getByRole("button", { name: "Leave room" }).click();
  await bob.getByRole("heading", { name: "Open rooms" }).waitFor();
  await alice.locator(".participant", { hasText: "Bob" }).waitFor({ state: "detached" });
  // Back in the lobby, the room is listed with its name as text.
  await bob.locator(".room-name", { hasText: roomName }).waitFor();
  assert.equal(await bob.locator("main img").count(), 0);
});
