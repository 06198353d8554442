/**
 * /jellyfin.js in real Chromium against the stand-in Jellyfin Web 10.11.11
 * in the real client's order (video inserted without a source, PlaybackInfo,
 * the stream 0.4 s later, /Sessions/Playing only once it plays): the joiner
 * is bound and follows pause, paused seek, play, playing seek and `k`; the
 * room list and the panel show the episode's title; Jellyfin replacing the
 * element and moving to the next episode keep the party together; an
 * invite link brings a friend who still has to log in into the room at the
 * item; SyncPlay takes the player and gives it back.
 * `UPDATE_SCREENSHOTS=1` rewrites docs/screenshots/jellyfin-panel.png.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EPISODE_1, EPISODE_2 } from "../fixtures/jellyfin/users.js";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { waitFor } from "../support/wait-for.js";
import { EPISODE_1_TITLE, PLAYING_TOLERANCE_S, checkFollows, measured, startParty } from "./party-steps.js";
import { hostVideo, openViewer, playerLine, waitSettled, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const fixture = <T>(page: import("playwright-core").Page, fn: string, arg?: unknown) =>
  page.evaluate(
    ([f, a]) => (window as unknown as { __fixture: Record<string, (x?: unknown) => unknown> }).__fixture[f as string]!(a),
    [fn, arg] as const,
  ) as Promise<T>;

test("Jellyfin Web script, real client order: joiner bound and following, titles, element swap, next episode, invite, SyncPlay", { skip, timeout: 300_000 }, async (t) => {
  const { server, browser, urls, alice, bob } = await startParty(t, "real");
  const room = await waitFor(() => [...server.core.hub.rooms.values()][0], "the room on the server");
  assert.equal(room.media.id, EPISODE_1, "the room carries the playing item's id");
  assert.equal(room.media.title, EPISODE_1_TITLE, "series, season/episode and name");
  await alice.locator("#opensyncparty-panel .media-title", { hasText: EPISODE_1_TITLE }).waitFor();
  assert.equal(await playerLine(bob), "Your player is on the party.");

  await checkFollows(alice, bob, { withKey: true });

  // Jellyfin replaces the joiner's element: the new one is bound and follows the next seek.
  await fixture(bob, "replaceVideo");
  await waitVideo(bob, (v) => v.bound && v.ready >= 1, "bob's new element bound");
  await waitSettled(alice, "alice before the seek");
  await hostVideo(alice, { seek: 9 });
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S, minPosition: 9 });

  // Alice moves on to the next episode in the same element: the room follows, and so does Bob.
  await fixture(alice, "play", EPISODE_2);
  await waitFor(() => room.media.id === EPISODE_2 && room.media.title === "Test Pattern · S1:E2 · The Sine Wave", "the room on episode 2", 20_000);
  await waitVideo(bob, (v) => v.bound && v.src.includes(EPISODE_2) && !v.paused, "bob bound on episode 2", 30_000);
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });

  // The invite link: Carol is not logged in and not on the item; after login she is in the room, at the item, bound.
  const invite = await bob.locator("#opensyncparty-panel input.invite-link").inputValue();
  assert.match(invite, new RegExp(`\\?ospRoom=${room.id}#/details\\?id=${EPISODE_2}$`));
  const carol = await openViewer(browser, t, { ...urls, token: "token-joinonly", manualLogin: true, url: invite });
  await carol.locator("#loginPage:not(.hide) .btnLogin").click();
  await alice.locator("#opensyncparty-panel .participant", { hasText: "Jo JoinOnly" }).waitFor({ timeout: 20_000 });
  await waitVideo(carol, (v) => v.bound && v.src.includes(EPISODE_2) && !v.paused, "carol bound on episode 2", 30_000);
  await waitInSync([alice, bob, carol], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
  await measured(alice, "Jo JoinOnly");
  assert.ok(!(await carol.evaluate(() => location.search.includes("ospRoom"))), "the invite is taken from the address bar once used");

  // Jellyfin's own SyncPlay: while Bob is in a SyncPlay group the script lets go of his player.
  await fixture(bob, "syncPlayMessage", "GroupJoined");
  await waitVideo(bob, (v) => !v.bound, "bob's player released during SyncPlay");
  await fixture(bob, "syncPlayMessage", "GroupLeft");
  await waitVideo(bob, (v) => v.bound, "bob's player back on the party after SyncPlay");

  await bob.locator("#opensyncparty-panel input[placeholder='Say something']").fill("hi from Bob");
  await bob.getByRole("button", { name: "Send" }).click();
  await alice.locator("#opensyncparty-panel .chat", { hasText: "hi from Bob" }).waitFor();
  if (process.env.UPDATE_SCREENSHOTS === "1") await alice.screenshot({ path: "docs/screenshots/jellyfin-panel.png" });
});
