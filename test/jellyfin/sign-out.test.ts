/**
 * Jellyfin Web signs out and in without reloading the page (ServerConnections
 * `localusersignedout`/`localusersignedin`), and a signed-out token is
 * revoked. The party is the signed-in user's: signing out leaves the room at
 * once (the others see the member go, not after the resume grace) and takes
 * the panel and buttons away; whoever signs in next gets a party of their
 * own, under their own name — never the previous user's seat.
 */
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { startParty } from "./party-steps.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const fixture = (page: Page, fn: "signOut" | "signIn", arg?: string) =>
  page.evaluate(([f, a]) => (window as unknown as { __fixture: Record<string, (x?: string) => unknown> }).__fixture[f as string]!(a), [fn, arg] as const);

test("Jellyfin Web: signing out leaves the party; the next user to sign in has their own", { skip, timeout: 180_000 }, async (t) => {
  const { alice, bob } = await startParty(t, "real");
  const bobRow = alice.locator("#opensyncparty-panel .participant", { hasText: "Bob Jellyfin" });

  await fixture(bob, "signOut");
  await bobRow.waitFor({ state: "detached", timeout: 20_000 });
  await bob.locator("[data-osp-button]").first().waitFor({ state: "detached", timeout: 10_000 });
  await bob.locator("#opensyncparty-panel").waitFor({ state: "detached", timeout: 10_000 });

  // Another user signs in on the same page: a party of their own, in their name.
  await fixture(bob, "signIn", "token-joinonly");
  await bob.locator('[data-osp-button="header"]').click();
  await bob.locator("#opensyncparty-panel").getByText("Connected as Jo JoinOnly").waitFor({ timeout: 20_000 });
  await bob.locator("#opensyncparty-panel .room .join").click();
  await alice.locator("#opensyncparty-panel .participant", { hasText: "Jo JoinOnly" }).waitFor({ timeout: 20_000 });
  await bobRow.waitFor({ state: "detached", timeout: 1000 });
});
