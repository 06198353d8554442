/**
 * A member's sync report describes its player as it is when sent, never a
 * measurement from before it applied the room's last seek. Public report of
 * this kind: jellyfin/jellyfin#17797 ("Correct SyncPlay sessions that report
 * playback at a stale position": a member that has not applied a seek yet
 * reports the old position, and the group acts on it). Here a guest on a
 * slow link (Chromium's own network throttling) takes seconds to land a
 * host's seek; before the fix it kept reporting "10 s behind" — measured the
 * instant the seek arrived — every 2 s while it sat at the new position, and
 * the host's list showed "Bob 10000 ms behind" all that time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason } from "../support/browser.js";
import { holdMediaPast } from "../support/held-media.js";
import { joinByInvite, openPartyPage } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

/** Records, on the guest's page, every sync_report sent with where its <video> was at that moment. */
const RECORD_REPORTS = `(() => {
  window.__reports = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      const m = JSON.parse(data);
      if (m.type === "sync_report" && typeof m.payload?.offset_ms === "number") {
        const v = document.querySelector("video");
        window.__reports.push({ offsetMs: m.payload.offset_ms, at: v ? v.currentTime : null, seeking: v ? v.seeking : null });
      }
    } catch {}
    return send.call(this, data);
  };
})();`;

interface Report {
  offsetMs: number;
  at: number | null;
  seeking: boolean | null;
}

test("a guest slow to land a seek reports no stale offset, and the host's list never shows it 10 s behind", { skip, timeout: 120_000 }, async (t) => {
  const { browser, host: alice, invite } = await startHostRoom(t, { roomName: "Slow link", hostName: "Alice" });
  const bob = await openPartyPage(browser, { teardown: t, storedName: "Bob", initScript: RECORD_REPORTS });
  // Bob's link: the media server answers each range request with 64 KB, and his
  // requests past the first fifth of the file wait until released (a link that stalls mid-film). The first fifth is 0:06 of 0:30:
  // Bob never has 0:10 before the release.
  const link = await holdMediaPast(bob, 1 / 5);
  await joinByInvite(bob, invite);
  // The host's list: every text Bob's row shows from now on.
  await alice.evaluate(`(() => {
    window.__bobRow = [];
    new MutationObserver(() => {
      for (const li of document.querySelectorAll("ul.participants li")) {
        if (li.querySelector(".name")?.textContent === "Bob") window.__bobRow.push(li.textContent ?? "");
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const before = await bob.evaluate(() => (window as unknown as { __reports: unknown[] }).__reports.length);

  await alice.getByRole("button", { name: "Forward 10 seconds" }).click();
  await alice.waitForFunction(() => {
    const v = document.querySelector("video") as HTMLVideoElement;
    return !v.seeking && v.currentTime > 9;
  });
  const target = await alice.evaluate(() => (document.querySelector("video") as HTMLVideoElement).currentTime);
  // Bob follows: his <video> reads the new position as soon as his seek starts.
  await bob.waitForFunction((p) => Math.abs((document.querySelector("video") as HTMLVideoElement).currentTime - p) < 0.5, target);
  const seekStart = await bob.evaluate(() => ({
    count: (window as unknown as { __reports: unknown[] }).__reports.length,
    atMs: performance.now(),
  }));
  // Three report periods (2 s each) of Bob's page, his seek held the whole time (or two reports sent in it).
  await bob.waitForFunction(
    (s) => (window as unknown as { __reports: unknown[] }).__reports.length >= s.count + 2 || performance.now() >= s.atMs + 6000,
    seekStart,
    { timeout: 30_000 },
  );
  assert.equal(await bob.evaluate(() => document.querySelector("video")?.seeking), true, "Bob's seek was held");
  link.release();
  // Landed, then two fresh reports.
  await bob.waitForFunction(() => document.querySelector("video")?.seeking === false, null, { timeout: 30_000 });
  const landedCount = await bob.evaluate(() => (window as unknown as { __reports: unknown[] }).__reports.length);
  await bob.waitForFunction((n) => (window as unknown as { __reports: unknown[] }).__reports.length >= n + 2, landedCount, { timeout: 30_000 });

  const reports = (await bob.evaluate(() => (window as unknown as { __reports: Report[] }).__reports)).slice(before);
  // A report sent while the <video> stands at the room's position (seeking there or landed) must say so.
  const there = reports.filter((r) => r.at !== null && Math.abs(r.at - target) < 0.5);
  assert.ok(there.length >= 2, `Bob sent reports at 0:${target.toFixed(1)}: ${JSON.stringify(reports)}`);
  const stale = there.filter((r) => Math.abs(r.offsetMs) > 1000);
  assert.deepEqual(stale, [], `stale reports while Bob's video stood at the room's position ${target.toFixed(2)} s`);
  const rows = await alice.evaluate(() => (window as unknown as { __bobRow: string[] }).__bobRow);
  const far = rows.filter((r) => /\d{4,} ms behind/.test(r));
  assert.deepEqual(far, [], "the host's list showed Bob seconds behind though he stood at the room's position");
});
