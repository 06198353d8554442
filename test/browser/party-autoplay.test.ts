/**
 * Blocked autoplay in real Chromium started with
 * `--autoplay-policy=document-user-activation-required`: a guest who opened
 * the invite without clicking sees "Click to start watching" when the room
 * plays, the room lists that guest as "needs a click" (not "N ms behind"),
 * and one click puts the guest in sync.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, openPartyPage, waitInSync } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { waitFor } from "../support/wait-for.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const TOLERANCE_S = 0.15;

test("blocked autoplay: the guest gets a click prompt, the room sees 'needs a click', one click syncs", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t, autoplayPolicy: "document-user-activation-required" });

  // The host clicks through the lobby form, so its page may play.
  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  const invite = await createRoom(host, { displayName: "Hana", roomName: "Autoplay", mediaUrl: `${files.url}/clip.mp4` });
  // The guest has a stored name: the invite link joins without any click. Playwright's
  // evaluate and locator calls count as user activation, so the guest page is not touched
  // (only watched through the server and the host) until its prompt is clicked.
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await guest.goto(invite);
  const roomId = new URL(invite).searchParams.get("room") ?? "";
  const room = server.core.hub.rooms.get(roomId);
  assert.ok(room);
  await host.locator(".participant", { hasText: "Gus" }).waitFor();
  const gusId = [...room.members.keys()].find((id) => server.core.hub.sessions.get(id)?.name === "Gus") ?? "";
  // The guest's engine measures and reports before the room plays.
  await waitFor(() => room.members.get(gusId)?.sync, "the guest's first sync report", 20_000);

  await host.getByRole("button", { name: "Play", exact: true }).click();
  // The browser refused the guest's play(): the page tells the room, which says why in words, not as a lag in ms.
  await waitFor(() => room.members.get(gusId)?.needsClick, "the guest to report needs_click", 20_000);
  const gusRow = host.locator(".participant", { hasText: "Gus" });
  await gusRow.locator(".sync-text", { hasText: "needs a click" }).waitFor({ timeout: 10_000 });

  const prompt = guest.getByRole("button", { name: "Click to start watching" });
  await prompt.click();
  assert.equal(await guest.locator('.banner[data-source="media"]').count(), 0, "no raw NotAllowedError banner");
  await waitInSync([host, guest], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.5, timeoutMs: 20_000 });
  await prompt.waitFor({ state: "hidden" });
  await host.waitForFunction(() => {
    const rows = [...document.querySelectorAll(".participant")].filter((r) => r.textContent?.includes("Gus"));
    return rows.length === 1 && !rows[0]?.textContent?.includes("needs a click");
  });
  assert.equal(room.members.get(gusId)?.needsClick, false, "the room knows the guest is watching");
});
