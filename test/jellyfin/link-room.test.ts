/**
 * A Jellyfin viewer joining a room made on the party page (its media is a
 * link, no Jellyfin item): before, the script bound whatever item the viewer
 * played to the room's timeline — another film, shown "on the party" and
 * "in sync" to the host. Now it stays unbound, the panel says why, and the
 * host sees "media problem". Real Chromium, the stand-in Jellyfin.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { describeSync } from "../../src/client/sync-status.js";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { EPISODE_1 } from "../fixtures/jellyfin/users.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { openViewer, playerLine, waitVideo } from "./viewer.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("Jellyfin viewer in a room playing a link: not bound, told so, and not counted in sync", { skip, timeout: 180_000 }, async (t) => {
  const media = await ensureTestMedia();
  const jf = await startStandIn(t, { mediaFile: media.mp4Path, hlsDir: media.hlsDir });
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const host = new PartyClient({ url: server.url, displayName: "Page host", token: "token-alice", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  await host.createRoom({ name: "Link room", mediaUrl: "https://media.example/film.mp4", mediaTitle: "A film by link" });
  const browser = await launchBrowser({ teardown: t });
  const bob = await openViewer(browser, t, { jellyfin: jf.url, party: server.httpUrl, token: "token-bob" });
  await bob.locator('[data-osp-button="header"]').waitFor();
  await bob.evaluate((id) => (location.hash = `#/details?id=${id}`), EPISODE_1);
  await bob.locator("#itemDetailPage .btnPlay").click();
  await waitVideo(bob, (v) => !v.paused && v.time > 0.2, "bob playing episode 1", 30_000);
  await bob.locator('[data-osp-button="header"]').click();
  const listed = bob.locator("#opensyncparty-panel .room", { hasText: "Link room" });
  await listed.waitFor();
  await listed.locator(".join").click();
  const row = () => host.room?.participants.find((p) => p.name.startsWith("Bob"));
  await waitFor(() => row(), "bob in the host's room", 20_000);
  await host.play(1);
  await waitFor(() => !!row() && describeSync(row()!) === "media problem", "the host to see bob as media problem", 20_000);
  const v = await waitVideo(bob, (s) => !s.paused, "bob still playing his item");
  assert.equal(v.bound, false, "bob's episode is not bound to the link's timeline");
  const line = await playerLine(bob);
  assert.match(line, /not synced/i, `bob's panel says why: "${line}"`);
});
