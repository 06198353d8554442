/**
 * mpv playing audio applies a speed change only to the audio it has not
 * buffered yet (≈ 200 ms later, its audio buffer). Judged as if a change
 * showed at once, every correction seemed not to work and was pushed to
 * the catch-up limits: mpv swung between 0.8× and 1.2× for as long as it
 * played (new-user trial). The engine now counts the changes that have
 * not shown yet (src/client/sync/rate-delay.ts): once in sync, mpv stays
 * near 1×. Real mpv with its audio track on the null output.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { FakePlayer } from "../support/fake-player.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { realClock } from "../support/real-clock.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

test("mpv with audio, once in sync, stays near 1× instead of swinging between the catch-up limits", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "audio rate" });
  host.attachPlayer(new FakePlayer({ clock: realClock, seekLatencyMs: 20 }));
  const party = await startMpvParty({ media: await mpvTestMedia(), server: server.url, room: room.id, name: "mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  await waitFor(() => party.client.clock.synced && host.clock.synced, "clocks synced");

  await host.play(1);
  await waitFor(() => !party.player.isPaused(), "mpv playing", 10_000);
  await sleep(4000); // the start and its catch-up window (3 s)
  const speeds: number[] = [];
  for (let i = 0; i < 24; i++) {
    speeds.push((await party.player.ipc.command(["get_property", "speed"])) as number);
    await sleep(250);
  }
  const atLimits = speeds.filter((s) => Math.abs(s - 1) >= 0.15).length;
  assert.ok(atLimits <= 2, `mpv's speed over 6 s (at most 2 of 24 reads at the ±20 % catch-up limits): ${speeds.map((s) => s.toFixed(3)).join(" ")}`);
  assert.equal(party.player.rateDelayMs, 200, "the delay counted is mpv's audio buffer (ao-null-buffer, 0.2 s by default)");
});
