/**
 * A viewer's change that the <video> already shows while its event is still
 * queued, in real Chromium on the standalone page. The host seeks on the
 * element and, in the same task, the engine evaluates (what its tick does
 * when it lands between the seek and the `seeking` event, with a fresh
 * offset filter: in the Jellyfin orders test right after the pause's answer
 * it seeked the host back, and the room never moved). The room must follow
 * the host, paused and playing (docs/sync.md, "A viewer's change before its
 * event"). Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const PLAYING_TOLERANCE_S = 0.15;
const PAUSED_TOLERANCE_S = 0.06;

/** The host's seek on the element, then an engine evaluation before its `seeking` event (setExtraOffset evaluates at once). */
function seekThenEvaluate(page: Page, target: number): Promise<void> {
  return page.evaluate((to) => {
    const v = document.querySelector("video") as HTMLVideoElement;
    v.currentTime = to;
    const w = window as unknown as { __party: { client: { syncEngine: { setExtraOffset(ms: number): void } | null } } };
    w.__party.client.syncEngine?.setExtraOffset(0);
  }, target);
}

test("a host's seek the engine sees before its event moves the room, paused and playing", { skip, timeout: 120_000 }, async (t) => {
  const { server, host: alice, guest: bob } = await startHostedParty(t, { roomName: "Race", hostName: "Alice", guestName: "Bob" });
  const room = () => server.core.hub.rooms.values().next().value!;
  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S, minPosition: 0.5 });
  await alice.evaluate(() => (document.querySelector("video") as HTMLVideoElement).pause());
  await waitInSync([alice, bob], { playing: false, toleranceS: PAUSED_TOLERANCE_S });

  await seekThenEvaluate(alice, 12);
  const atTwelve = await waitInSync([alice, bob], { playing: false, toleranceS: PAUSED_TOLERANCE_S, minPosition: 11.7 });
  assert.ok(atTwelve.every((s) => Math.abs(s.currentTime - 12) < 0.1), `both at 12 s: ${JSON.stringify(atTwelve)}`);
  assert.equal(room().timeline.position, 12);

  await alice.getByRole("button", { name: "Play", exact: true }).click();
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S, minPosition: 12.2 });
  const before = room().timeline;
  await seekThenEvaluate(alice, 4);
  const deadline = Date.now() + 10_000;
  while (room().timeline === before && Date.now() < deadline) await alice.waitForTimeout(50);
  const after = room().timeline;
  assert.equal(after.play_state, "playing");
  assert.ok(Math.abs(after.position - 4) < 0.01, `the room jumped to 4 s: ${JSON.stringify(after)}`);
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
  const positions = (await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S })).map((s) => s.currentTime);
  assert.ok(positions.every((p) => p < 8), `both playing from 4 s: ${JSON.stringify(positions)}`);
});
