/**
 * Real mpv as a party member: an SDK host (fake player on the real clock)
 * drives play, seek and pause; the mpv viewer follows within tens of ms,
 * mpv's own keys become room commands (it is allowed to control here), and
 * quitting mpv leaves the room.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { FakePlayer } from "../support/fake-player.js";
import { HEADLESS_MPV_ARGS, freshPlaybackTime, requireMpv } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { realClock } from "../support/real-clock.js";

test("an mpv viewer follows an SDK host's play, seek and pause, and leaves when mpv quits", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "mpv night", settings: { shared_control: true } });
  const hostPlayer = new FakePlayer({ clock: realClock, seekLatencyMs: 20 });
  host.attachPlayer(hostPlayer);

  const party = await startMpvParty({ media: await mpvTestMedia(), server: server.url, room: room.id, name: "mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  await waitFor(() => host.room?.participants.length === 2, "mpv joined");
  assert.equal(host.room?.participants.find((p) => p.id === party.client.clientId)?.name, "mpv");
  await waitFor(() => party.client.clock.synced && host.clock.synced, "clocks synced");

  const offsetOf = async () => (await freshPlaybackTime(party.player.ipc)) - host.expectedPosition();
  const inSync = async (ms: number) => Math.abs(await offsetOf()) * 1000 < ms;
  const waitInSync = async (what: string) => {
    const deadline = Date.now() + 8000;
    while (!(await inSync(40))) {
      if (Date.now() > deadline) throw new Error(`mpv not within 40 ms after ${what}: ${(await offsetOf()) * 1000} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  await host.play(2);
  await waitFor(() => !party.player.isPaused(), "mpv playing");
  await waitInSync("play");

  await host.seek(12);
  await waitFor(() => party.player.getPosition() > 11.5, "mpv seeked");
  await waitInSync("seek");

  // A viewer's own key in mpv (space) becomes a room command for everyone.
  await waitFor(
    () => party.client.syncEngine?.status().state === "synced" && !party.player.isPaused(),
    "mpv playing and settled after the seek",
    8000,
  );
  await party.player.ipc.command(["keypress", "SPACE"]);
  await waitFor(() => host.room?.timeline.play_state === "paused", "mpv's pause reached the room");
  await waitFor(() => hostPlayer.isPaused(), "host player paused by mpv's command");

  const id = party.client.clientId;
  await party.player.ipc.command(["quit"]);
  await party.done;
  await waitFor(() => host.room && !host.room.participants.some((p) => p.id === id), "mpv left the room");
});
