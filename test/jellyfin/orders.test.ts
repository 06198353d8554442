/**
 * The binding does not depend on the order of Jellyfin Web's events: the
 * same party (Alice creates, Bob joins from the list and follows pause,
 * paused seek, play, playing seek and `k` within the standalone page's
 * bounds) in every order the stand-in client knows besides the real one
 * (script.test.ts): hls.js with a blob: source, slow stream and late
 * report, the src set before insertion with the report at once (the old
 * fixture) or after playing, and the report before the stream is set. And
 * when nothing tells the item, the panel says so and why, and binds once
 * the session names it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { checkFollows, PLAYING_TOLERANCE_S, startParty } from "./party-steps.js";
import { type FixtureOrder, openViewer, playerLine, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const ORDERS: FixtureOrder[] = ["hls", "slow", "kind", "src-first", "report-early"];

describe("Jellyfin Web script in every order of the client's events", { skip, timeout: 900_000 }, () => {
  for (const order of ORDERS) {
    test(`order "${order}": the joiner is bound and follows`, { timeout: 180_000 }, async (t) => {
      const { alice, bob } = await startParty(t, order);
      if (order === "hls") {
        const src = (await bob.evaluate(() => document.querySelector("video")?.src)) ?? "";
        assert.match(src, /^blob:/, "hls.js plays from a blob: URL, so the item comes from the stream requests");
      }
      await checkFollows(alice, bob, { withKey: true });
      if (order === "hls") {
        // A transcode restart: a new hls.js instance, a new blob: source; found again from its playlist request.
        const before = await bob.evaluate(() => document.querySelector("video")?.src);
        await bob.evaluate(() => (window as unknown as { __fixture: { replaceVideo(): unknown } }).__fixture.replaceVideo());
        await waitVideo(bob, (v) => v.bound && v.src.startsWith("blob:") && v.src !== before && v.ready >= 2, "bob's restarted stream bound");
        await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
      }
    });
  }

  test("nothing names the item: the panel says why within seconds, and the player binds once the session reports it", { timeout: 180_000 }, async (t) => {
    const { browser, urls, alice } = await startParty(t, "real");
    const carol = await openViewer(browser, t, { ...urls, token: "token-joinonly", order: "opaque" });
    await carol.locator('[data-osp-button="header"]').click();
    await carol.locator("#opensyncparty-panel .room .join").click();
    await waitVideo(carol, (v) => v.src.startsWith("blob:") && !v.paused, "carol playing a blob: stream", 30_000);
    await carol.locator("#opensyncparty-panel .player-line.error", { hasText: "still unknown which item" }).waitFor({ timeout: 20_000 });
    const why = await playerLine(carol);
    assert.match(why, /blob: stream \(hls\.js\) without an item id/);
    assert.match(why, /reported nothing playing/);
    assert.equal((await waitVideo(carol, () => true, "carol's video")).bound, false);
    await carol.evaluate(() => (window as unknown as { __fixture: { report(): unknown } }).__fixture.report());
    await waitVideo(carol, (v) => v.bound, "carol bound once the session names the item", 20_000);
    await alice.locator("#opensyncparty-panel .participant", { hasText: "Jo JoinOnly" }).waitFor();
  });
});
