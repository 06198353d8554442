/**
 * `opensyncparty mpv --jellyfin …` as a user runs it, against a Jellyfin
 * stand-in and a party server that requires Jellyfin tokens: it logs in
 * (full MediaBrowser header with a DeviceId, then Token only), joins a room
 * created with a media_id, opens that item's direct stream (ApiKey=) in real
 * mpv and follows the host's play, pause and seek. A wrong password is one
 * line on stderr and exit code 1.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { PartyClient } from "../../src/client/party-client.js";
import { defaultIpcPath } from "../../src/players/mpv/launch-mpv.js";
import { startLoginStandIn } from "../fixtures/jellyfin/login-stand-in.js";
import { ITEM_ID, parseAuthHeader } from "../fixtures/jellyfin/users.js";
import { HEADLESS_MPV_ARGS, connectViewer, freshPlaybackTime, requireMpv, waitFor } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServer } from "../support/server.js";

function runCli(args: string[], env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<unknown[]> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err, exited: once(child, "exit") };
}

test("mpv logs in to Jellyfin, plays the room's item and follows play, pause and seek", { timeout: 120_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const jellyfin = await startLoginStandIn(t, { mediaFile: await mpvTestMedia() });
  const server = await startServer(t, { jellyfinUrl: jellyfin.url });
  const host = new PartyClient({ url: server.url, token: "token-alice", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "Jellyfin night", mediaId: ITEM_ID, mediaTitle: "Big Test Movie" });

  const ipcPath = defaultIpcPath();
  const cli = runCli(
    ["mpv", "--server", server.url, "--room", room.id, "--jellyfin", jellyfin.url, "--jellyfin-user", "bob", "--ipc", ipcPath, "--", ...HEADLESS_MPV_ARGS],
    { JELLYFIN_PASSWORD: "correct horse" },
  );
  t.after(async () => {
    if (cli.child.exitCode === null) {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });
  await waitFor("the command to join the room", () => cli.stdout().includes(`In room ${room.id}`) || cli.child.exitCode !== null, 30_000);
  assert.equal(cli.child.exitCode, null, `the command exited: ${cli.stderr()}`);
  assert.match(cli.stdout(), /Logged in to Jellyfin as Bob Jellyfin/);

  // Login: the full client header with a DeviceId; afterwards Token only; the stream carries ApiKey=.
  const loginFields = parseAuthHeader(jellyfin.loginHeaders[0]);
  assert.ok(loginFields?.["DeviceId"] && loginFields["Client"] && loginFields["Device"] && loginFields["Version"], jellyfin.loginHeaders[0]);
  const later = jellyfin.authHeaders.filter((h) => !jellyfin.loginHeaders.includes(h));
  assert.ok(later.length > 0, "requests after the login carry a header");
  for (const h of later) assert.deepEqual(Object.keys(parseAuthHeader(h) ?? {}), ["Token"], h);
  const ipc = await connectViewer(t, ipcPath);
  const path = String(await ipc.command(["get_property", "path"]));
  const stream = new URL(path);
  assert.equal(stream.pathname, `/Videos/${ITEM_ID}/stream`);
  assert.equal(stream.searchParams.get("ApiKey"), "token-bob");
  assert.equal(stream.searchParams.get("static"), "true");
  assert.equal(stream.searchParams.has("api_key"), false);
  assert.ok(jellyfin.streamRequests.length > 0, "mpv fetched the stream from Jellyfin");
  await waitFor("bob in the room", () => host.room?.participants.some((p) => p.name === "Bob Jellyfin") === true, 10_000);

  await host.play(0);
  await waitFor("mpv playing past 1 s", async () => (await ipc.command(["get_property", "pause"])) === false && (await freshPlaybackTime(ipc)) > 1, 20_000);
  await host.pause();
  await waitFor("mpv paused", async () => (await ipc.command(["get_property", "pause"])) === true, 10_000);
  await host.seek(20);
  await waitFor("mpv at 20 s", async () => Math.abs((await freshPlaybackTime(ipc)) - 20) < 0.3, 15_000);
});

test("a wrong Jellyfin password is one line on stderr and exit code 1", { timeout: 30_000 }, async (t) => {
  const jellyfin = await startLoginStandIn(t, { mediaFile: await mpvTestMedia() });
  const cli = runCli(["mpv", "--room", "whatever", "--jellyfin", jellyfin.url, "--jellyfin-user", "bob"], { JELLYFIN_PASSWORD: "wrong" });
  const [code] = await cli.exited;
  assert.equal(code, 1);
  const lines = cli.stderr().trim().split("\n");
  assert.equal(lines.length, 1, `one line, got:\n${cli.stderr()}`);
  assert.match(lines[0]!, /refused the login for "bob": wrong user name or password/);
  assert.equal(jellyfin.loginHeaders.length, 1);
});
