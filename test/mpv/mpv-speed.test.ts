/**
 * Speed is a room property with real mpv (issue 9): mpv's own speed keys
 * (`]`, `Backspace`) on the host become the room's rate for an SDK viewer
 * and a late joiner; an mpv guest without control gets its speed put back,
 * with a notice on its OSD saying why.
 */
import assert from "node:assert/strict";
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

async function sdkViewer(t: { after(fn: () => void): void }, url: string, roomId: string, name: string) {
  const client = new PartyClient({ url, displayName: name, createSocket: nodeWebSocket });
  t.after(() => client.close());
  await client.connect();
  await client.joinRoom(roomId);
  const player = new FakePlayer({ clock: realClock, seekLatencyMs: 20 });
  client.attachPlayer(player);
  return { client, player };
}

/** mpv's speed near `rate`, give or take the engine's micro-correction (±5 %). */
const near = (actual: number, rate: number) => Math.abs(actual - rate) <= rate * 0.051;

test("mpv host: ] and Backspace set the room's speed for a viewer and a late joiner", { timeout: 40_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const party = await startMpvParty({ media: await mpvTestMedia(), server: server.url, create: "mpv speed", name: "mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  const roomId = party.client.room!.id;
  const viewer = await sdkViewer(t, server.url, roomId, "Viewer");
  await waitFor(() => party.client.clock.synced && viewer.client.clock.synced, "clocks synced");
  await party.client.play(1);
  await waitFor(() => !party.player.isPaused() && party.client.syncEngine?.status().state === "synced", "mpv playing", 10_000);

  await party.player.ipc.command(["keypress", "]"]); // mpv: speed × 1.1
  await waitFor(() => Math.abs((viewer.client.room?.timeline.rate ?? 1) - 1.1) < 1e-6, "the room's rate is mpv's 1.1", 10_000);
  await waitFor(() => near(viewer.player.getRate(), 1.1), "the viewer plays at 1.1", 10_000);
  await waitFor(() => near(party.player.getRate(), 1.1), "mpv keeps its own 1.1 (past any catch-up correction)", 10_000);

  const late = await sdkViewer(t, server.url, roomId, "Late");
  await waitFor(() => near(late.player.getRate(), 1.1), "a late joiner plays at the room's rate", 10_000);

  await party.player.ipc.command(["keypress", "BS"]); // mpv: speed back to 1
  await waitFor(() => viewer.client.room?.timeline.rate === 1, "Backspace resets the room's rate", 10_000);
  await waitFor(() => near(viewer.player.getRate(), 1) && near(late.player.getRate(), 1), "everyone back at 1", 10_000);
});

test("mpv guest without control: its speed key is put back, with an OSD notice", { timeout: 40_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "host controls" });
  const hostPlayer = new FakePlayer({ clock: realClock, seekLatencyMs: 20 });
  host.attachPlayer(hostPlayer);
  const party = await startMpvParty({ media: await mpvTestMedia(), server: server.url, room: room.id, name: "mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  const shown: string[] = [];
  const show = party.player.showText.bind(party.player);
  party.player.showText = (text: string, ms: number) => {
    shown.push(text);
    return show(text, ms);
  };
  await waitFor(() => party.client.clock.synced && host.clock.synced, "clocks synced");
  await host.play(1);
  await waitFor(() => !party.player.isPaused() && party.client.syncEngine?.status().state === "synced", "mpv playing", 10_000);

  await party.player.ipc.command(["keypress", "}"]); // mpv: speed × 2
  await waitFor(() => shown.some((s) => s.includes("only the host can change")), "the OSD says why", 10_000);
  await waitFor(() => near(party.player.getRate(), 1), "mpv's speed is back at the room's 1", 10_000);
  assert.equal(host.room?.timeline.rate, 1, "the room's rate did not change");
  assert.ok(near(hostPlayer.getRate(), 1));
});
