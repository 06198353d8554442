/**
 * One person, one member, in real Chromium over the real server: a reload
 * of the host's or a guest's tab resumes the same member (id, host role,
 * room) with no ghost, and the lobby counts one person each; closing a tab
 * frees the seat after the short `leavingGraceMs`, not the 30 s resume grace.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage, waitMediaReady } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { waitFor } from "../support/wait-for.js";

const skip = await browserSkipReason({ needFfmpeg: true });

interface PageSelf {
  id: string;
  isHost: boolean;
  room: string | null;
}

function self(page: Page): Promise<PageSelf> {
  return page.evaluate(() => {
    const c = (window as unknown as { __party: { client: { clientId: string; isHost: boolean; room: { id: string } | null } } }).__party.client;
    return { id: c.clientId, isHost: c.isHost, room: c.room?.id ?? null };
  });
}

/** Waits until the page shows the room with exactly these member names, none reconnecting. */
async function waitMembers(page: Page, names: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const rows = [...document.querySelectorAll(".participant")];
      const got = rows.map((r) => r.querySelector(".name")?.textContent ?? "").sort();
      const ghosts = rows.filter((r) => r.querySelector(".sync-text")?.textContent === "reconnecting…").length;
      return ghosts === 0 && JSON.stringify(got) === JSON.stringify([...want].sort());
    },
    names,
    { timeout: 20_000 },
  );
}

test("reload keeps host and guest as the same members; closing a tab frees the seat", { skip, timeout: 150_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  // Resume grace stays at its 30 s default: a freed seat must come from the short leaving grace.
  const server = await startServer(t, { leavingGraceMs: 1500 });
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  const invite = await createRoom(host, { displayName: "Hana", roomName: "Reloads", mediaUrl: `${files.url}/clip.mp4` });
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await joinByInvite(guest, invite);
  await waitMembers(host, ["Hana", "Gus"]);
  const hostBefore = await self(host);
  const guestBefore = await self(guest);
  assert.equal(hostBefore.isHost, true);
  const room = server.core.hub.rooms.get(hostBefore.room ?? "");
  assert.ok(room, "the room exists on the server");

  // The host presses F5.
  await host.reload();
  await host.locator("main.room").waitFor();
  await waitMediaReady(host);
  const hostAfter = await self(host);
  assert.deepEqual(hostAfter, hostBefore, "same id, still host, same room");
  await host.locator("#btn-play:not([disabled])").waitFor();
  await waitMembers(host, ["Hana", "Gus"]);
  await waitMembers(guest, ["Hana", "Gus"]);
  assert.equal(room.members.size, 2, "no ghost member on the server");
  assert.equal(server.core.hub.roomList().find((r) => r.id === room.id)?.count, 2, "the lobby counts two people");

  // The guest reloads.
  await guest.reload();
  await guest.locator("main.room").waitFor();
  await waitMediaReady(guest);
  assert.deepEqual(await self(guest), guestBefore, "the guest is the same member");
  await waitMembers(host, ["Hana", "Gus"]);
  assert.equal(room.members.size, 2);
  assert.equal(room.hostId, hostBefore.id, "the host role never moved");

  // The guest closes the tab: the seat is freed after leavingGraceMs (1.5 s), well before the 30 s resume grace.
  const closedAt = Date.now();
  await guest.close();
  await waitFor(() => room.members.size === 1, "the closed tab's seat to be freed", 15_000);
  const freedAfterMs = Date.now() - closedAt;
  await waitMembers(host, ["Hana"]);
  assert.equal(server.core.hub.roomList().find((r) => r.id === room.id)?.count, 1);
  t.diagnostic(`closed tab's seat freed after ${freedAfterMs} ms (leavingGraceMs 1500, resumeGraceMs 30000)`);
});
