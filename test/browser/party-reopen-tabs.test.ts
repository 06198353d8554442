/**
 * Several tabs of one browser profile share one localStorage, so what a
 * closing tab keeps for its reopening must not be taken by another tab.
 * Found: the page kept one resume entry for the whole profile. Two tabs of
 * the same profile in a party (two members) closed together and reopened
 * came back as one member taken twice over: the first reopened tab took the
 * other tab's seat and the second joined as a new member beside a
 * "reconnecting…" ghost; and a tab closed in one room made an invite link to
 * another room, opened within the grace, land in the first room.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { createRoom, joinByInvite, openPartyPage } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

function selfId(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __party: { client: { clientId: string } } }).__party.client.clientId);
}

function roomId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __party: { client: { room?: { id: string } } } }).__party.client.room?.id);
}

function testPage(context: BrowserContext): Promise<Page> {
  return context.newPage().then(async (p) => {
    await p.addInitScript(() => {
      (window as unknown as { __OSP_TEST__: boolean }).__OSP_TEST__ = true;
    });
    return p;
  });
}

test("tabs of one profile each take back their own seat", { skip, timeout: 150_000 }, async (t) => {
  const { browser, invite, server, mediaUrl } = await startHostRoom(t, { roomName: "Tabs", hostName: "Hana" });
  const first = await openPartyPage(browser, { teardown: t, storedName: "Gus" });
  await joinByInvite(first, invite);
  const second = await testPage(first.context());
  await joinByInvite(second, invite);
  const ids = [await selfId(first), await selfId(second)];
  assert.notEqual(ids[0], ids[1], "two tabs are two members");
  const roomX = await roomId(first);
  const context = first.context();

  let two: Page | undefined;
  await t.test("two tabs closed together come back as the same two members", { timeout: 40_000 }, async () => {
    await first.close({ runBeforeUnload: false });
    await second.close({ runBeforeUnload: false });
    const one = await testPage(context);
    two = await testPage(context);
    await Promise.all([joinByInvite(one, invite), joinByInvite(two, invite)]);
    const again = [await selfId(one), await selfId(two)].sort();
    assert.deepEqual(again, [...ids].sort(), "each reopened tab is one of the two members, none new");
    await one.close();
  });

  await t.test("a tab closed in one room does not pull an invite to another room into it", { timeout: 40_000 }, async () => {
    const other = await openPartyPage(browser, { teardown: t });
    await other.goto(`${server.httpUrl}/`);
    const inviteY = await createRoom(other, { displayName: "Yan", roomName: "Other", mediaUrl });
    const roomY = await roomId(other);
    assert.notEqual(roomY, roomX);
    assert.ok(two, "the first part left a tab open in the first room");
    await two.close({ runBeforeUnload: false });
    const three = await testPage(context);
    await joinByInvite(three, inviteY);
    assert.equal(await roomId(three), roomY, "the invite's room, not the closed tab's");
  });
});
