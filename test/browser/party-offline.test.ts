/**
 * Nothing a viewer did is lost without a word, in real Chromium over the
 * real server: a Pause and a chat line made while the server is down for
 * longer than the SDK's 10 s request timeout reach the other member once
 * the server is back (same data file: the room and its members are
 * restored); a chat line the server finally refuses stays in the log marked
 * "not sent" with the reason, and its text goes back into the input.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { createServer } from "../../src/server/index.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, joinByInvite, openPartyPage } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });

function playState(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const c = (window as unknown as { __party: { client: { room: { timeline: { play_state: string } } | null } } }).__party.client;
    return c.room?.timeline.play_state ?? null;
  });
}

async function chatTexts(page: Page): Promise<string[]> {
  return page.locator(".chat-log .chat-text").allTextContents();
}

test("page: a Pause and a chat line made during a 12 s outage reach the other member after the restart", { skip, timeout: 180_000 }, async (t) => {
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const dir = mkdtempSync(join(tmpdir(), "osp-page-offline-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataFile = join(dir, "rooms.db");
  const first = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent", dataFile });
  const { port } = await first.listen();
  t.after(() => first.close());
  const browser = await launchBrowser({ teardown: t });
  const host = await openPartyPage(browser, { teardown: t });
  await host.goto(`${first.httpUrl}/`);
  const invite = await createRoom(host, { displayName: "Hana", roomName: "Outage", mediaUrl: `${files.url}/clip.mp4` });
  const guest = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await joinByInvite(guest, invite);
  await host.locator("#btn-play:not([disabled])").click();
  await guest.waitForFunction(() => !(document.querySelector("video") as HTMLVideoElement).paused, undefined, { timeout: 20_000 });

  await first.close();
  await host.locator('.banner[data-source="connection"]', { hasText: "reconnecting" }).waitFor({ timeout: 20_000 });
  await host.locator("#btn-pause").click();
  await host.locator("#chat-input").fill("said while offline");
  await host.locator("#chat-input").press("Enter");
  await host.locator(".chat-pending", { hasText: "said while offline" }).waitFor();
  // The outage under test: longer than the SDK's requestTimeoutMs (10 s), after which these used to be dropped.
  await host.waitForTimeout(12_000);
  assert.equal(await host.locator(".chat-unsent").count(), 0, "nothing marked failed while waiting");

  const second = createServer({ port, host: "127.0.0.1", logLevel: "silent", dataFile });
  await second.listen();
  t.after(() => second.close());
  await guest.waitForFunction(() => [...document.querySelectorAll(".chat-log .chat-text")].some((e) => e.textContent === "said while offline"), undefined, { timeout: 40_000 });
  await guest.waitForFunction(() => (document.querySelector("video") as HTMLVideoElement).paused, undefined, { timeout: 20_000 });
  assert.equal(await playState(guest), "paused", "the room is paused, as the host asked while offline");
  assert.equal(await playState(host), "paused");
  await host.locator(".chat-pending").waitFor({ state: "detached", timeout: 10_000 });
  assert.deepEqual(await chatTexts(host), ["said while offline"]);
  assert.equal(await host.locator(".banner-error").count(), 0, "no failure shown");
});

test("page: a chat line the server refuses stays marked not sent, with its text back in the input", { skip, timeout: 120_000 }, async (t) => {
  const { server, host } = await startHostRoom(t, { hostName: "Hana", roomName: "Refusals" });
  // Past the input's maxlength (set from the server's limits), as a paste through a script could be: the server refuses it.
  const long = "x".repeat(server.config.maxChatLength + 1);
  await host.evaluate((text) => {
    (document.querySelector("#chat-input") as HTMLInputElement).value = text;
  }, long);
  await host.locator("#chat-input").press("Enter");
  const unsent = host.locator(".chat-unsent");
  await unsent.waitFor({ timeout: 15_000 });
  assert.match((await unsent.textContent()) ?? "", /not sent: .*payload/i);
  assert.equal(await host.locator("#chat-input").inputValue(), long, "the text is back in the input");
  assert.deepEqual(await chatTexts(host), [], "nothing shown as sent");
  // Retry offers the same line again (refused again here, so it stays marked).
  await unsent.getByRole("button", { name: "Retry" }).click();
  await host.locator(".chat-unsent").waitFor({ timeout: 15_000 });
  assert.equal(await host.locator(".chat-unsent").count(), 1);
});
