/**
 * mpv playing its own file (a path given on the command line) in a room:
 * when the host changes the room's media (the next episode), mpv's file is
 * not the room's media any more. Before, mpv went on following the room's
 * timeline on its old film and the host's list still counted it "in sync";
 * now it stops syncing, says so on the OSD, the host sees "media problem",
 * and when the room comes back to the first media mpv follows it again.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { describeSync } from "../../src/client/sync-status.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

const EPISODE_1 = "https://media.example/episode-1.mkv";

test("mpv on its own file: the host's media change stops syncing, tells the viewer and the host, and coming back resumes", { timeout: 90_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const film = await mpvTestMedia();
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  await host.createRoom({ name: "Series", mediaUrl: EPISODE_1 });
  const party = await startMpvParty({ media: film, server: server.url, room: host.room?.id ?? "", name: "Mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  const osd: string[] = [];
  const showText = party.player.showText.bind(party.player);
  party.player.showText = (text: string, ms: number) => {
    osd.push(text);
    return showText(text, ms);
  };
  const mpvRow = () => host.room?.participants.find((p) => p.id === party.client.clientId);
  const word = () => {
    const row = mpvRow();
    return row ? describeSync(row) : "absent";
  };
  await waitFor(() => host.clock.synced && party.client.clock.synced, "clocks synced", 15_000);
  await host.play(3);
  await waitFor(() => word() === "in sync" || /ms (behind|ahead)/.test(word()), "the host sees mpv following the room", 20_000);

  await host.updateSettings({ media_url: "https://media.example/episode-2.mkv", media_title: "Episode 2" });
  await waitFor(() => party.client.syncEngine === null, "mpv stops following the room's timeline", 10_000);
  await waitFor(() => word() === "media problem", `the host no longer counts mpv in sync (it says "${word()}")`, 10_000);
  assert.ok(
    osd.some((line) => /Episode 2/.test(line) && /not synced/i.test(line)),
    `mpv's OSD says the room plays other media: ${JSON.stringify(osd)}`,
  );
  // The viewer's choice stands: mpv keeps its own file open.
  assert.equal(await party.player.ipc.command(["get_property", "path"]), film);

  await host.updateSettings({ media_url: EPISODE_1, media_title: "Episode 1" });
  await waitFor(() => party.client.syncEngine !== null, "mpv follows the room again once it plays mpv's media", 10_000);
  await waitFor(() => word() !== "media problem", `the host's row leaves "media problem" (it says "${word()}")`, 10_000);
});
