/**
 * Issue 12: the original web client's flow (create, list, join, play, seek,
 * pause, leave) in two real Chromium browsers whose sockets land on
 * different instances of a three-instance cluster, through a round-robin
 * balancer on port 3001 — the port that client hard-codes. A busy 3001 fails
 * the test with a message naming it. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser, newPage } from "../support/browser.js";
import { balancer, startInstances } from "../support/cluster.js";
import { ensureTestMedia } from "../support/media.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { startStaticServer } from "../support/static-server.js";
import { waitFor } from "../support/wait-for.js";
import type { Received } from "../support/ws-client.js";

const skip = await browserSkipReason({ needFfmpeg: true });

interface Osp {
  received: Received[];
  room: string;
  isHost: boolean;
  createRoom(n: string): void;
  joinRoom(id: string): void;
  leaveRoom(): void;
}
const osp = (page: Page) => page.evaluate(() => {
  const o = (window as unknown as { osp: Osp }).osp;
  return { received: o.received, room: o.room, isHost: o.isHost };
});
const nextOf = (page: Page, type: string, pred: (m: Received) => boolean = () => true) =>
  waitFor(async () => (await osp(page)).received.find((m) => m.type === type && pred(m)), `${type} in the page`, 20_000);
const video = (page: Page) =>
  page.evaluate(() => {
    const v = document.querySelector("video")!;
    return { paused: v.paused, time: v.currentTime, ready: v.readyState };
  });

test("the original web client flow with two browsers on different instances behind a balancer on 3001", { skip, timeout: 180_000 }, async (t) => {
  const media = await ensureTestMedia();
  const redis = await startRedis(t);
  const cluster = await startInstances(t, 3, { redisUrl: redis.url, env: { OSP_CLUSTER_KEY_PREFIX: uniquePrefix() } });
  const lb = await balancer(t, cluster.list, { port: 3001 });
  const site = await startStaticServer([join(import.meta.dirname, "../fixtures/cluster"), media.mediaDir], { teardown: t });
  const [b1, b2] = await Promise.all([launchBrowser({ teardown: t }), launchBrowser({ teardown: t })]);
  const host = await newPage(b1, { teardown: t });
  const guest = await newPage(b2, { teardown: t });
  await host.goto(`${site.url}/original-client.html`);
  await nextOf(host, "room_list");
  await guest.goto(`${site.url}/original-client.html`);
  await nextOf(guest, "room_list");
  assert.equal(lb.picks.length, 2);
  assert.notEqual(lb.picks[0], lb.picks[1], `the two browsers are on different instances (picks ${lb.picks})`);
  await waitFor(async () => (await video(host)).ready >= 2 && (await video(guest)).ready >= 2, "both videos loaded", 20_000);

  // create → listed (pushed) on the other instance
  await host.evaluate(() => (window as unknown as { osp: Osp }).osp.createRoom("Movie night"));
  const created = await nextOf(host, "room_state");
  assert.equal((await osp(host)).isHost, true);
  await waitFor(async () => (await guest.locator(`#rooms li[data-id="${created.room}"]`).textContent()) === "Movie night / 1 users", "the room listed in the guest's lobby", 20_000);

  // join
  await guest.evaluate((id) => (window as unknown as { osp: Osp }).osp.joinRoom(id), created.room);
  const joined = await nextOf(guest, "room_state");
  assert.equal(joined.payload.participant_count, 2);
  assert.equal((await osp(guest)).isHost, false);
  await nextOf(host, "participants_update", (m) => m.payload.participant_count === 2);

  // play: the host's video event becomes the guest's play
  await host.evaluate(() => document.querySelector("video")!.play());
  await waitFor(async () => {
    const v = await video(guest);
    return !v.paused && v.time > 0.2;
  }, "the guest's video playing", 20_000);

  // seek
  await host.evaluate(() => {
    document.querySelector("video")!.currentTime = 20;
  });
  await waitFor(async () => Math.abs((await video(guest)).time - 20) < 2, "the guest's video near 20 s", 20_000);

  // pause
  await host.evaluate(() => document.querySelector("video")!.pause());
  await waitFor(async () => (await video(guest)).paused, "the guest's video paused", 20_000);
  const [h, g] = [await video(host), await video(guest)];
  assert.ok(Math.abs(h.time - g.time) < 1.5, `paused near the same frame (host ${h.time}, guest ${g.time})`);

  // leave: the host's count drops, the guest is back in the lobby with the room at 1
  await guest.evaluate(() => (window as unknown as { osp: Osp }).osp.leaveRoom());
  await nextOf(host, "participants_update", (m) => m.payload.participant_count === 1);
  await waitFor(async () => (await guest.locator(`#rooms li[data-id="${created.room}"]`).textContent()) === "Movie night / 1 users", "the guest's lobby shows the room with 1 user", 20_000);
});
