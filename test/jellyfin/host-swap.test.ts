/**
 * Jellyfin Web replaces the host's <video> while it plays (a new player
 * instance: same item, same position, autoplay, the position set at
 * loadedmetadata). The new element is bound and keeps playing with the
 * room (it is not left paused), and the room keeps playing; then a second
 * swap and a seek on the new element still move the joiner.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync } from "../support/party-page.js";
import { waitFor } from "../support/wait-for.js";
import { PAUSED_TOLERANCE_S, PLAYING_TOLERANCE_S, startParty } from "./party-steps.js";
import { hostVideo, waitSettled, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const replaceVideo = (page: import("playwright-core").Page) =>
  page.evaluate(() => {
    (window as unknown as { __fixture: { replaceVideo(): unknown } }).__fixture.replaceVideo();
  });

test("Jellyfin replaces the host's playing element: the new one is bound and plays with the room", { skip, timeout: 240_000 }, async (t) => {
  const { server, alice, bob } = await startParty(t, "real");
  const room = await waitFor(() => [...server.core.hub.rooms.values()][0], "the room on the server");
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
  await waitSettled(alice, "alice's playback");

  for (const swap of [1, 2]) {
    await replaceVideo(alice);
    await waitVideo(alice, (v) => v.bound && v.ready >= 2 && !v.paused && !v.seeking, `alice's new element bound and playing (swap ${swap})`, 30_000);
    await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
    assert.equal(room.timeline.play_state, "playing", `the room still plays after swap ${swap}`);
    await waitSettled(alice, `alice's new element (swap ${swap})`);
  }
  await hostVideo(alice, { seek: 9 });
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S, minPosition: 9 });

  // The swap lands while the host's own play is held for its scheduled instant (the engine paused the element):
  // Jellyfin's new element starts paused, yet the room plays, so the host's player plays with it.
  await hostVideo(alice, "pause");
  await waitInSync([alice, bob], { playing: false, toleranceS: PAUSED_TOLERANCE_S });
  await alice.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>("video.htmlvideoplayer");
    if (!v) throw new Error("no video");
    // The engine pauses the element to hold it until the play's instant; Jellyfin swaps it in that window.
    const w = window as unknown as { __fixture: { replaceVideo(): unknown }; __swappedInHold?: boolean };
    v.addEventListener(
      "pause",
      () => {
        w.__fixture.replaceVideo();
        w.__swappedInHold = true;
      },
      { once: true },
    );
    void v.play().catch(() => undefined);
  });
  await waitFor(() => room.timeline.play_state === "playing", "the room playing after the host's play");
  assert.ok(await alice.evaluate(() => (window as unknown as { __swappedInHold?: boolean }).__swappedInHold), "the element was swapped in the hold");
  await waitVideo(alice, (v) => v.bound && v.ready >= 2 && !v.paused && !v.seeking, "alice's element swapped during the hold playing", 30_000);
  await waitInSync([alice, bob], { playing: true, toleranceS: PLAYING_TOLERANCE_S });
});
