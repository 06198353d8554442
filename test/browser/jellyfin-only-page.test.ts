/**
 * The standalone page on a server that admits Jellyfin users only
 * (--jellyfin-url): it cannot sign in, so it says that — what the server
 * is, and where to start the party instead — with no "cannot reach",
 * "reload" or error class name, and no form that could only fail
 * (new-user trial finding 5). Real Chromium, real server, the Jellyfin
 * stand-in.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";

const skip = await browserSkipReason();

test("a Jellyfin-only server: the lobby and an invite link say so and offer nothing that would fail", { skip, timeout: 90_000 }, async (t) => {
  const jf = await startStandIn(t);
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const browser = await launchBrowser({ teardown: t });

  const page = await openPartyPage(browser, { teardown: t });
  await page.goto(`${server.httpUrl}/`);
  const banner = page.locator('.banner[data-source="server"]');
  await banner.waitFor({ timeout: 20_000 });
  const text = (await banner.textContent()) ?? "";
  assert.match(text, /admits Jellyfin users only/);
  assert.match(text, /from Jellyfin's own page/);
  assert.doesNotMatch(text, /PartyError|Cannot reach/);
  assert.equal(await page.getByRole("button", { name: "Create room" }).isDisabled(), true, "no form that can only fail");
  const all = (await page.locator(".banners").textContent()) ?? "";
  assert.doesNotMatch(all, /Reload the page/, `no reload advice: ${all}`);

  const invited = await openPartyPage(browser, { teardown: t });
  await invited.goto(`${server.httpUrl}/?room=k3xq9mbw2a`);
  await invited.getByText(/admits Jellyfin users only/).first().waitFor({ timeout: 20_000 });
  assert.doesNotMatch((await invited.locator("body").textContent()) ?? "", /PartyError/);
});
