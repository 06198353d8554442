/**
 * The host's clicks that follow each other faster than a round trip, in
 * real Chromium on the standalone page: each click builds on the one before
 * it, even while that one's answer is still on its way. Found on a 150 ms ±
 * 50 ms link (three "+10 s" clicks moved 10 s, "−10 s" then "Play" played
 * from where the room had been); here the clicks are made in one task of
 * the page, so no answer can arrive between them, on any machine.
 * Needs `npm run build` first (npm test does it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { defaultSyncEngineTunables } from "../../src/client/sync/engine-options.js";
import type { Timeline } from "../../src/protocol/index.js";
import { browserSkipReason } from "../support/browser.js";
import { waitInSync, waitOnRoomLine } from "../support/party-page.js";
import { startHostedParty } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });
/** A play command's line is anchored a lead ahead and read a little later: slack for positions of a playing room, s. */
const PLAYING_SLACK_S = 1.5;
/** Paused viewers: the engine leaves a paused player alone within pausedSeekThresholdMs (60 ms). */
const PAUSED_TOLERANCE_S = Math.max(0.05, defaultSyncEngineTunables.pausedSeekThresholdMs / 1000);

interface PartyWindow {
  __party: { client: { room: { timeline: Timeline } | null; expectedPosition(): number; on(e: "command", f: () => void): void } };
  __commands: number;
}

/** Counts the host's answered commands from now on. */
async function countCommands(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PartyWindow;
    w.__commands = 0;
    w.__party.client.on("command", () => {
      w.__commands++;
    });
  });
}

/** Clicks the page's buttons (by aria-label or text) one after the other in one task; returns the room's position just before. */
function clickAtOnce(page: Page, labels: string[], speed?: string): Promise<number> {
  return page.evaluate(
    ({ labels, speed }) => {
      const w = window as unknown as PartyWindow;
      const before = w.__party.client.expectedPosition();
      const buttons = [...document.querySelectorAll<HTMLButtonElement>(".playback button")];
      for (const label of labels) {
        const b = buttons.find((x) => x.getAttribute("aria-label") === label || x.textContent === label);
        if (!b) throw new Error(`no button ${label}`);
        b.click();
      }
      if (speed !== undefined) {
        const select = document.querySelector<HTMLSelectElement>("#speed");
        if (!select) throw new Error("no speed menu");
        select.value = speed;
        select.dispatchEvent(new Event("change"));
      }
      return before;
    },
    { labels, speed },
  );
}

/** Waits until `n` commands were answered in all; returns the room's timeline then. */
async function afterCommands(page: Page, n: number): Promise<Timeline> {
  await page.waitForFunction((n) => (window as unknown as PartyWindow).__commands >= n, n, { timeout: 15_000 });
  const timeline = await page.evaluate(() => (window as unknown as PartyWindow).__party.client.room?.timeline);
  assert.ok(timeline, "the host is in the room");
  return timeline;
}

test("quick clicks: each of the host's clicks builds on the one still on its way", { skip, timeout: 120_000 }, async (t) => {
  const { host, guest } = await startHostedParty(t, { roomName: "Clicks", hostName: "Alice", guestName: "Bob" });
  await countCommands(host);

  await t.test("two '+10 s' clicks move 20 s", { timeout: 30_000 }, async () => {
    const before = await clickAtOnce(host, ["Forward 10 seconds", "Forward 10 seconds"]);
    const line = await afterCommands(host, 2);
    assert.equal(line.play_state, "paused");
    assert.ok(Math.abs(line.position - (before + 20)) < 0.01, `room at ${line.position} s, expected ${before + 20} s`);
    await waitInSync([host, guest], { playing: false, toleranceS: 0.05, minPosition: before + 19.9 });
    await waitOnRoomLine([host, guest], PAUSED_TOLERANCE_S);
  });

  await t.test("'−10 s' then 'Play' plays from where the seek went", { timeout: 30_000 }, async () => {
    const before = await clickAtOnce(host, ["Back 10 seconds", "Play"]);
    const line = await afterCommands(host, 4);
    assert.equal(line.play_state, "playing");
    assert.ok(Math.abs(line.position - (before - 10)) < 0.01, `room plays from ${line.position} s, expected ${before - 10} s`);
    await waitInSync([host, guest], { playing: true, toleranceS: 0.15 });
    await waitOnRoomLine([host, guest], 0.15);
  });

  // Held before the client's fix too: the server pauses a line whose seek is still scheduled where that line is
  // (src/server/core/timeline-commands.ts); this pins that the page's Pause, which now sends the seek's target, keeps it so.
  await t.test("'+10 s' then 'Pause' pauses where the seek went", { timeout: 30_000 }, async () => {
    const before = await clickAtOnce(host, ["Forward 10 seconds", "Pause"]);
    const line = await afterCommands(host, 6);
    assert.equal(line.play_state, "paused");
    assert.ok(
      line.position >= before + 10 - 0.01 && line.position <= before + 10 + PLAYING_SLACK_S,
      `room paused at ${line.position} s, expected ${before + 10} s`,
    );
    await waitInSync([host, guest], { playing: false, toleranceS: 0.05 });
    await waitOnRoomLine([host, guest], PAUSED_TOLERANCE_S);
  });

  await t.test("'Play' then a speed change keeps playing", { timeout: 30_000 }, async () => {
    await clickAtOnce(host, ["Play"], "1.5");
    const line = await afterCommands(host, 8);
    assert.equal(line.play_state, "playing", "the speed change did not undo the play");
    assert.equal(line.rate, 1.5);
    await waitInSync([host, guest], { playing: true, toleranceS: 0.15 });
    await waitOnRoomLine([host, guest], 0.15);
  });

  // The speed menu used as a viewer does (each choice a real selection), three choices and a Pause in a row.
  await t.test("speed 2×, 0.5×, 1.25× then 'Pause' pauses at 1.25× where the room was", { timeout: 30_000 }, async () => {
    const speed = host.locator("#speed");
    for (const rate of ["2", "0.5", "1.25"]) await speed.selectOption(rate);
    await host.getByRole("button", { name: "Pause" }).click();
    const line = await afterCommands(host, 12);
    assert.equal(line.play_state, "paused", "the speed changes did not undo the pause");
    assert.equal(line.rate, 1.25);
    await waitInSync([host, guest], { playing: false, toleranceS: PAUSED_TOLERANCE_S });
    await waitOnRoomLine([host, guest], PAUSED_TOLERANCE_S);
    assert.equal(await guest.locator("#speed").inputValue(), "1.25", "the guest's menu shows the room's speed");
  });

  await t.test("'Play' after it plays at 1.25× for everyone", { timeout: 30_000 }, async () => {
    await host.getByRole("button", { name: "Play" }).click();
    await afterCommands(host, 13);
    await waitInSync([host, guest], { playing: true, toleranceS: 0.15 });
    await waitOnRoomLine([host, guest], 0.15);
    // A start's catch-up bends the rates up to 20 % for a few seconds; then both play at the room's speed.
    for (const p of [host, guest]) {
      await p
        .waitForFunction(() => Math.abs((document.querySelector("video") as HTMLVideoElement).playbackRate - 1.25) < 0.07, undefined, { timeout: 15_000 })
        .catch(async () => assert.fail(`a video plays at ${await p.evaluate(() => (document.querySelector("video") as HTMLVideoElement).playbackRate)}×, the room at 1.25×`));
    }
  });
});
