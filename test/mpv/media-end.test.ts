/**
 * The end of the media with real mpv: mpv learns the clip's duration and
 * tells the room; when the room plays into the end, it stops there for
 * everyone — the SDK host's timeline pauses at the duration, mpv stays
 * paused on its last frame — and mpv does not seek again and again
 * (before, it re-seeked to the end about ten times in 3 s). A late joiner
 * is told the duration, not beyond it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { FakePlayer } from "../support/fake-player.js";
import { HEADLESS_MPV_ARGS, freshPlaybackTime, requireMpv } from "../support/mpv.js";
import { MPV_MEDIA_DURATION_SECONDS, mpvTestMedia } from "../support/mpv-media.js";
import { realClock } from "../support/real-clock.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

/** How long mpv is watched after the end for any further seek, ms (absence needs a window). */
const WATCH_AFTER_END_MS = 3000;

test("mpv: at the end of the media the room pauses at the duration and mpv seeks at most once", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const end = MPV_MEDIA_DURATION_SECONDS;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Ana", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "Short films" });
  host.attachPlayer(new FakePlayer({ clock: realClock, seekLatencyMs: 20 }));

  const party = await startMpvParty({ media: await mpvTestMedia(), server: server.url, room: room.id, name: "Bob", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  await waitFor(() => host.mediaDuration !== null, "mpv told the room the media's duration", 10_000);
  assert.ok(Math.abs((host.mediaDuration ?? 0) - end) < 0.2, `duration ${host.mediaDuration} for a ${end} s clip`);
  await waitFor(() => party.client.clock.synced && host.clock.synced, "clocks synced", 10_000);

  await host.play(end - 3);
  await waitFor(() => !party.player.isPaused() && party.player.getPosition() > end - 2.5, "mpv playing near the end", 10_000);
  let seeks = 0;
  party.player.on("seeked", () => seeks++);

  await waitFor(() => host.room?.timeline.play_state === "paused", "the room paused at the end", 10_000);
  assert.equal(host.room?.timeline.position, host.mediaDuration, "paused exactly at the duration");
  await waitFor(() => party.player.isPaused(), "mpv paused at the end", 10_000);
  await new Promise((r) => setTimeout(r, WATCH_AFTER_END_MS));
  const at = await freshPlaybackTime(party.player.ipc);
  assert.ok(Math.abs(at - end) < 0.1, `mpv stays at the end, at ${at} s`);
  assert.ok(party.player.isPaused(), "mpv stays paused");
  t.diagnostic(`mpv seeks at the end: ${seeks}; mpv at ${at} s; room duration ${host.mediaDuration} s`);
  assert.ok(seeks <= 1, `mpv seeked ${seeks} times at the end`);
  assert.equal(party.client.room?.timeline.play_state, "paused");

  // A late joiner is told the duration, not beyond it.
  const late = new PartyClient({ url: server.url, displayName: "Cara", createSocket: nodeWebSocket });
  t.after(() => late.close());
  await late.connect();
  const view = await late.joinRoom(room.id);
  assert.equal(view.timeline.play_state, "paused");
  assert.ok(view.timeline.position <= (host.mediaDuration ?? 0), `late joiner told ${view.timeline.position} s`);
  assert.equal(late.expectedPosition(), host.mediaDuration);
});
