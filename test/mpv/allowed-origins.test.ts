/**
 * `--allowed-origins` keeps other web pages out but not clients without an
 * Origin header: real `opensyncparty mpv` (the documented command, which
 * sends none) joins a room on a server restricted to one origin and plays
 * with it; a page from another origin is refused with 403, and with
 * `requireOrigin` a client without Origin is refused too.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { defaultIpcPath } from "../../src/players/mpv/launch-mpv.js";
import { createRoom } from "../integration/helpers.js";
import { HEADLESS_MPV_ARGS, connectViewer, freshPlaybackTime, requireMpv, waitFor } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { rawRequest } from "../support/raw-http.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

const ORIGIN = "https://jellyfin.example";
const upgrade = (origin: string | null) =>
  `GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${origin ? `Origin: ${origin}\r\n` : ""}\r\n`;

test("with --allowed-origins set, `opensyncparty mpv` (no Origin) still joins and plays; other origins get 403", { timeout: 90_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const media = await mpvTestMedia();
  const server = await startServer(t, { allowedOrigins: [ORIGIN] });
  const port = Number(new URL(server.httpUrl).port);
  assert.equal((await rawRequest(port, upgrade("https://evil.example"), 15_000)).status, 403, "another page's origin is refused");
  assert.equal((await rawRequest(port, upgrade(ORIGIN), 15_000)).status, 101, "the listed origin is let in");

  const host = await TestClient.connect(t, server.url, { headers: { Origin: ORIGIN } });
  host.send("hello", { display_name: "Host" });
  const roomId = await createRoom(host, "Restricted");
  const ipcPath = defaultIpcPath();
  const cli = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "mpv", media, "--server", server.url, "--room", roomId, "--name", "mpv", "--ipc", ipcPath, "--", ...HEADLESS_MPV_ARGS],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(cli, "exit");
  t.after(async () => {
    if (cli.exitCode === null) {
      cli.kill("SIGTERM");
      await exited;
    }
  });
  const joined = await host.next("participants_update", (m) => m.payload.participants.some((p: { name: string }) => p.name === "mpv"), 45_000);
  assert.equal(joined.payload.participant_count, 2, "mpv joined the room");
  const ipc = await connectViewer(t, ipcPath);
  host.send("player_event", { action: "play", position: 2 }, roomId, { id: "play" });
  await host.next("ack", (m) => m.payload.id === "play", 15_000);
  await waitFor("mpv playing past 2.5 s", async () => (await freshPlaybackTime(ipc)) > 2.5, 30_000);
});

test("requireOrigin refuses clients that send no Origin", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { allowedOrigins: [ORIGIN], requireOrigin: true });
  const port = Number(new URL(server.httpUrl).port);
  assert.equal((await rawRequest(port, upgrade(null), 15_000)).status, 403);
  assert.equal((await rawRequest(port, upgrade(ORIGIN), 15_000)).status, 101);
});
