/**
 * A chat line whose answer was lost, in real Chromium over the real server:
 * the server took the line, but the link died before its ack and echo came
 * back to the sender (the page's path is cut without a word). The sender's
 * page finds the dead link, comes back on a new connection, and the line is
 * then shown once — for the sender, whose "sending…" mark goes, and for the
 * other member — never twice, never "not sent".
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { startTcpPath } from "../support/tcp-path.js";
import { waitFor } from "../support/wait-for.js";

const skip = await browserSkipReason({ needFfmpeg: true });

function chatTexts(page: Page): Promise<string[]> {
  return page.locator(".chat-log .chat-text").allTextContents();
}

test("page: a chat line whose answer was lost shows once for everyone", { skip, timeout: 120_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const port = Number(new URL(server.httpUrl).port);
  const path = await startTcpPath(t, port);
  const browser = await launchBrowser({ teardown: t });
  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`http://127.0.0.1:${path.port}/`);
  const invite = await createRoom(host, { displayName: "Hana", roomName: "Lost answers", mediaUrl: `${files.url}/clip.mp4` });
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await joinByInvite(guest, invite.replace(`:${path.port}/`, `:${port}/`));
  const roomId = new URL(invite).searchParams.get("room") ?? "";
  const room = server.core.hub.rooms.get(roomId);
  assert.ok(room, "the room exists on the server");

  // Answers now take 3 s to come back; the path is cut as soon as the server has the line, so they never do.
  path.delay(3000);
  await host.locator("#chat-input").fill("did you get this?");
  await host.locator("#chat-input").press("Enter");
  await waitFor(() => room.chat.some((e) => e.text === "did you get this?"), "the server to take the line", 15_000);
  path.blackhole();
  path.delay(0);
  await host.locator(".chat-pending", { hasText: "did you get this?" }).waitFor();

  await guest.locator(".chat-log .chat-text", { hasText: "did you get this?" }).waitFor({ timeout: 10_000 });
  // The sender's page comes back on a new connection (after its silence timeout) and learns the room has the line.
  await host.locator(".chat-log .chat-text", { hasText: "did you get this?" }).waitFor({ timeout: 40_000 });
  await host.locator(".chat-pending, .chat-unsent").waitFor({ state: "detached", timeout: 20_000 });
  assert.deepEqual(await chatTexts(host), ["did you get this?"], "the sender sees the line once");
  assert.deepEqual(await chatTexts(guest), ["did you get this?"], "the other member sees it once");
  assert.equal(room.chat.filter((e) => e.text === "did you get this?").length, 1, "the room holds it once");
  assert.equal(await host.locator("#chat-input").inputValue(), "", "nothing put back in the input");
});
