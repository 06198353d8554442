/**
 * What a reload or a reopened tab keeps, in real Chromium over the real
 * server. Found: after a reload the activity feed (joins, pauses, seeks…)
 * was empty, and a tab closed and opened again on the party (same browser)
 * within the seat's grace joined as a second member beside the first one's
 * "reconnecting…" ghost. Now the feed comes back as it was, and the reopened
 * tab takes its seat back: one member, same id.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { joinByInvite, waitMediaReady } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

function feed(page: Page): Promise<string[]> {
  return page.locator(".activity-line .activity-text").allTextContents();
}

function selfId(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __party: { client: { clientId: string } } }).__party.client.clientId);
}

/** Waits until the page lists exactly these member names, none reconnecting; fails with what it shows. */
async function waitMembers(page: Page, names: string[]): Promise<void> {
  const read = () =>
    page.evaluate(() =>
      [...document.querySelectorAll(".participant")].map(
        (r) => `${r.querySelector(".name")?.textContent ?? ""}${r.querySelector(".sync-text")?.textContent === "reconnecting…" ? " (reconnecting)" : ""}`,
      ),
    );
  const want = JSON.stringify([...names].sort());
  try {
    await page.waitForFunction(
      (w) => {
        const rows = [...document.querySelectorAll(".participant")];
        const got = rows.map((r) => `${r.querySelector(".name")?.textContent ?? ""}${r.querySelector(".sync-text")?.textContent === "reconnecting…" ? " (reconnecting)" : ""}`);
        return JSON.stringify(got.sort()) === w;
      },
      want,
      { timeout: 10_000 },
    );
  } catch {
    assert.fail(`members shown: ${JSON.stringify(await read())}, expected ${want}`);
  }
}

test("a reload keeps the activity feed; a reopened tab takes its seat back", { skip, timeout: 120_000 }, async (t) => {
  const { host, guest, invite } = await startHostedParty(t, { roomName: "Reopen", hostName: "Hana", guestName: "Gus" });
  await waitMembers(host, ["Hana", "Gus"]);
  await host.getByRole("button", { name: "Play" }).click();
  await guest.locator(".activity-line.activity-play").waitFor({ timeout: 10_000 });
  await host.getByRole("button", { name: "Pause" }).click();
  await guest.locator(".activity-line.activity-pause").waitFor({ timeout: 10_000 });

  await t.test("the host's feed is the same after a reload", { timeout: 30_000 }, async () => {
    const before = await feed(host);
    assert.ok(before.length >= 3, `the feed has the join, the play and the pause: ${JSON.stringify(before)}`);
    await host.reload();
    await host.locator("main.room").waitFor();
    await waitMediaReady(host);
    const after = await feed(host);
    assert.deepEqual(after.slice(0, before.length), before, "the lines from before the reload are back, in order");
  });

  await t.test("the guest's tab closed and opened again is the same member, once", { timeout: 30_000 }, async () => {
    const id = await selfId(guest);
    const before = await feed(guest);
    const context = guest.context();
    await guest.close();
    const again = await context.newPage();
    await again.addInitScript(() => {
      (window as unknown as { __OSP_TEST__: boolean }).__OSP_TEST__ = true;
    });
    await joinByInvite(again, invite);
    assert.equal(await selfId(again), id, "the reopened tab is the same member");
    await waitMembers(host, ["Hana", "Gus"]);
    await waitMembers(again, ["Hana", "Gus"]);
    assert.deepEqual((await feed(again)).slice(0, before.length), before, "the reopened tab's feed is back");
  });
});
