/**
 * npm run bench:mpv — a real mpv viewer's offset from the room timeline.
 * A party server runs in this process (its clock is the reference); an SDK
 * host starts playback; the mpv viewer reaches the server through a proxy
 * adding 50 ± 20 ms each way. Every 100 ms the bench reads mpv's
 * playback-time over IPC at frame edges (when the value changes) and compares
 * it with the server timeline at that instant. Prints p50/p95/max |offset| after convergence.
 * Flags: --seconds N (default 60).
 */
import { parseArgs } from "node:util";
import { PartyClient } from "../../src/client/index.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { positionAt } from "../../src/protocol/index.js";
import { createServer } from "../../src/server/index.js";
import { mpvTestMedia } from "../../test/support/mpv-media.js";
import { startDelayProxy } from "../browser/proxy.js";
import { percentile } from "../browser/stats.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "60" } } });
const seconds = Number(values.seconds);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serverNow = () => performance.timeOrigin + performance.now();

const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
await server.listen();
const proxy = await startDelayProxy(server.httpUrl, { delayMs: 50, jitterMs: 20 });
const host = new PartyClient({ url: server.url, displayName: "host", createSocket: nodeWebSocket });
await host.connect();
const room = await host.createRoom({ name: "bench" });
const media = await mpvTestMedia();
const party = await startMpvParty({
  media,
  server: `${proxy.url.replace(/^http/, "ws")}/ws`,
  room: room.id,
  name: "mpv",
  mpvArgs: ["--no-config", "--vo=null", "--ao=null", "--no-terminal"],
});
while (!party.client.clock.synced) await sleep(50);
const ack = await host.play(1);
const started = serverNow();
const serverRoom = server.core.hub.rooms.get(room.id)!;
const samples: Array<{ t: number; offsetMs: number }> = [];
const readAt = async () => {
  const before = serverNow();
  const value = (await party.player.ipc.command(["get_property", "playback-time"])) as number;
  return { value, at: (before + serverNow()) / 2 };
};
// mpv's playback-time moves once per frame (40 ms at 25 fps): a random read is up to a frame
// behind the playhead. Sample at frame edges instead: poll until the value changes; the
// playhead was exactly at the new value between the two reads.
/** The clip is 30 s: the host seeks back to 1 s near its end; samples right after a seek are not steady state. */
const SEEK_BACK_AT_SECONDS = 25;
const SETTLE_AFTER_SEEK_MS = 2500;
let lastSeekAt = Number.NEGATIVE_INFINITY;
let seeks = 0;
while (serverNow() - started < seconds * 1000) {
  if (positionAt(serverRoom.timeline, serverNow()) > SEEK_BACK_AT_SECONDS) {
    const seekAck = await host.seek(1);
    lastSeekAt = seekAck.target_server_ts ?? serverNow();
    seeks++;
  }
  let prev = await readAt();
  for (;;) {
    const cur = await readAt();
    if (cur.value !== prev.value) {
      const edge = (prev.at + cur.at) / 2;
      if (edge > (ack.target_server_ts ?? 0) && edge > lastSeekAt + SETTLE_AFTER_SEEK_MS && cur.at - prev.at < 10) {
        samples.push({ t: edge - started, offsetMs: (cur.value - positionAt(serverRoom.timeline, edge)) * 1000 });
      }
      break;
    }
    prev = cur;
  }
  await sleep(90);
}
const firstIn = samples.findIndex((_, i) => samples.slice(i, i + 10).every((x) => Math.abs(x.offsetMs) < 30));
const steady = samples.slice(Math.max(0, firstIn)).map((s) => Math.abs(s.offsetMs));
const signed = samples.slice(Math.max(0, firstIn)).map((s) => s.offsetMs);
if (process.env["BENCH_TRACE"]) for (const s of samples) console.log(Math.round(s.t), s.offsetMs.toFixed(1));
console.log(`mpv viewer vs room timeline, ${seconds} s of playback, network 50 ± 20 ms each way`);
console.log(`seeks back by the host: ${seeks} (samples within ${SETTLE_AFTER_SEEK_MS} ms after each left out)`);
console.log(`samples: ${samples.length}, converged after: ${firstIn >= 0 ? `${Math.round(samples[firstIn]!.t)} ms` : "never"}`);
console.log(`|offset| p50 ${percentile(steady, 50).toFixed(1)} ms, p95 ${percentile(steady, 95).toFixed(1)} ms, max ${Math.max(...steady).toFixed(1)} ms`);
console.log(`signed offset p50 ${percentile(signed, 50).toFixed(1)} ms (positive: mpv ahead)`);
await party.close();
host.close();
await proxy.close();
await server.close();
process.exit(0);
