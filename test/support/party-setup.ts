/**
 * The common start of a standalone-page browser test: the real server, the
 * ffmpeg-made clip on a static server, Chromium, a host who creates a room
 * through the page's UI and a guest who joins by the invite link.
 */
import type { TestContext } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser.js";
import { ensureTestMedia } from "./media.js";
import { createRoom, joinByInvite, openPartyPage } from "./party-page.js";
import { startServer } from "./server.js";
import type { PartyServer } from "../../src/server/index.js";
import { startStaticServer } from "./static-server.js";

export interface HostedParty {
  server: PartyServer;
  browser: Browser;
  host: Page;
  guest: Page;
  /** The invite link the host's page shows. */
  invite: string;
}

/** A host's side only: the server, the clip on a static server, Chromium, and a host who created a room through the page. */
export async function startHostRoom(
  t: TestContext,
  o: { roomName: string; hostName: string },
): Promise<Omit<HostedParty, "guest"> & { mediaUrl: string }> {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });
  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${server.httpUrl}/`);
  const mediaUrl = `${files.url}/clip.mp4`;
  const invite = await createRoom(host, { displayName: o.hostName, roomName: o.roomName, mediaUrl });
  return { server, browser, host, invite, mediaUrl };
}

export async function startHostedParty(
  t: TestContext,
  o: { roomName: string; hostName: string; guestName: string; guestInitScript?: string },
): Promise<HostedParty> {
  const { server, browser, host, invite } = await startHostRoom(t, o);
  const guest = await openPartyPage(browser, {
    teardown: t,
    storedName: o.guestName,
    ...(o.guestInitScript ? { initScript: o.guestInitScript } : {}),
  });
  await joinByInvite(guest, invite);
  return { server, browser, host, guest, invite };
}
