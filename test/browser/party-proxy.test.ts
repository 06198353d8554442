/**
 * The party page behind a reverse proxy under a sub-path, in real Chromium:
 * a small proxy in the test serves the real server at /party/ (prefix
 * stripped, WebSocket upgrades passed). The page renders, fetches its
 * assets and favicon under /party/, dials /party/ws, its invite link stays
 * under /party/, and two viewers play in sync through it.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage, waitInSync } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { startSubPathProxy } from "../support/sub-path-proxy.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const TOLERANCE_S = 0.15;

test("page under /party/ behind a reverse proxy: renders, connects to /party/ws, plays in sync", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const proxy = await startSubPathProxy(server.httpUrl, "/party/", t);
  const browser = await launchBrowser({ teardown: t });

  const host = await openPartyPage(browser, { teardown: t });
  const sockets: string[] = [];
  host.on("websocket", (ws) => sockets.push(ws.url()));
  const failed: string[] = [];
  host.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await host.goto(`${proxy.url}/party/`);
  await host.getByRole("heading", { name: "Start a watch party" }).waitFor();
  const styled = await host.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(styled, "rgb(15, 17, 21)", "the stylesheet loaded through the proxy");

  const invite = await createRoom(host, { displayName: "Hana", roomName: "Proxied", mediaUrl: `${files.url}/clip.mp4` });
  assert.ok(invite.startsWith(`${proxy.url}/party/?room=`), `invite link stays under /party/: ${invite}`);
  const wsUrl = `${proxy.url.replace("http", "ws")}/party/ws`;
  assert.ok(sockets.length > 0 && sockets.every((u) => u === wsUrl), `every socket dials ${wsUrl}: ${sockets.join(", ")}`);
  assert.ok(proxy.upgrades.includes("/party/ws"), "the WebSocket went through the proxy's /party/ws");
  assert.ok(proxy.requests.includes("/party/standalone.js"));
  assert.ok(proxy.requests.includes("/party/favicon.ico"), "the favicon is asked for under /party/");
  assert.equal(new URL(host.url()).pathname, "/party/", "history entries stay under /party/");

  const guest = await openPartyPage(browser, { teardown: t });
  await joinByInvite(guest, invite, "Gus");
  await host.locator(".participant", { hasText: "Gus" }).waitFor();
  await host.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([host, guest], { playing: true, toleranceS: TOLERANCE_S, minPosition: 0.5 });
  assert.deepEqual(failed, [], "no asset failed to load");
  // Not through the proxy: the server itself has a favicon at the root.
  const favicon = await fetch(`${server.httpUrl}/favicon.ico`);
  assert.equal(favicon.status, 200);
  assert.equal(favicon.headers.get("content-type"), "image/x-icon");
});
