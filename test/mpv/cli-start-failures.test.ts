/**
 * Every way `opensyncparty mpv` can fail to get going ends the same way: one
 * line on stderr naming what failed and what to do, a non-zero exit within a
 * bounded time, no socket file left, and no room made for media that cannot
 * play. Real mpv, a real party server, the command as a user runs it
 * (test/support/mpv-cli.ts gives it a TMPDIR of its own to watch).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { launchMpv } from "../../src/players/mpv/launch-mpv.js";
import { startLoginStandIn } from "../fixtures/jellyfin/login-stand-in.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { type MpvCli, makeCliDir, runMpvCli } from "../support/mpv-cli.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { unusedPort } from "../support/process-probe.js";
import { startServer } from "../support/server.js";
import { makeSelfSignedCert, tempDir } from "../support/tls-cert.js";

/** Exactly one line on stderr, matching `pattern`. */
function oneLine(cli: MpvCli, pattern: RegExp): void {
  const lines = cli.stderr().trim().split("\n");
  assert.equal(lines.length, 1, `one line on stderr, got:\n${cli.stderr()}`);
  assert.match(lines[0]!, pattern);
}

test("a media file that does not exist: one line, exit 1, no room, no socket", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const cli = runMpvCli(t, ["/nonexistent/nope.mkv", "--server", server.url, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await cli.exit(20_000), 1);
  oneLine(cli, /No such file: \/nonexistent\/nope\.mkv/);
  assert.equal(server.core.hub.rooms.size, 0, "no room was created");
  assert.deepEqual(cli.sockets(), []);
});

test("a file mpv cannot play: mpv's reason, exit 1, no room, no socket", { timeout: 40_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const dir = makeCliDir(t);
  const broken = join(dir, "broken.mkv");
  writeFileSync(broken, "this is not a video\n");
  const cli = runMpvCli(t, [broken, "--server", server.url, "--create", "x", "--", ...HEADLESS_MPV_ARGS], { dir });
  assert.equal(await cli.exit(30_000), 1);
  oneLine(cli, /mpv could not open ".*broken\.mkv": .*(recognize|unrecognized) file format/i);
  assert.equal(server.core.hub.rooms.size, 0, "no room was created for a file that cannot play");
  assert.deepEqual(cli.sockets(), []);
});

test("no server listening: retries for 10 s, then says so; exit 1, no socket", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const port = await unusedPort();
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", `ws://127.0.0.1:${port}/ws`, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await cli.exit(45_000), 1);
  oneLine(cli, new RegExp(`Cannot reach the party server at ws://127\\.0\\.0\\.1:${port}/ws: connection refused.*tried \\d+ times over 10 s`));
  assert.deepEqual(cli.sockets(), []);
});

test("a URL with the wrong path fails at once on the HTTP 404; the page's http:// address works", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const media = await mpvTestMedia();
  const wrong = runMpvCli(t, [media, "--server", `${server.url.replace(/\/ws$/, "/")}`, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await wrong.exit(20_000), 1);
  oneLine(wrong, /answered HTTP 404: no party server WebSocket at path \/ \(it is usually \/ws\)/);
  assert.deepEqual(wrong.sockets(), []);

  const page = runMpvCli(t, [media, "--server", `${server.httpUrl}/`, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  const started = await Promise.race([
    new Promise<boolean>((resolve) => page.child.stdout!.on("data", () => page.stdout().includes("In room") && resolve(true))),
    page.exit(30_000).then(() => false),
  ]);
  assert.ok(started, `the command started: ${page.stderr()}`);
  page.child.kill("SIGINT");
  assert.equal(await page.exit(15_000), 0);
});

test("TLS: an untrusted certificate and wss:// to a plain server fail at once saying what to do; a trusted one joins", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const cert = await makeSelfSignedCert(tempDir(t), "party");
  const tls = await startServer(t, { tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile });
  const wss = `wss://localhost:${new URL(tls.url).port}/ws`;
  const media = await mpvTestMedia();
  const untrusted = runMpvCli(t, [media, "--server", wss, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await untrusted.exit(20_000), 1);
  oneLine(untrusted, /TLS certificate is not accepted \(self-signed certificate\): trust .* NODE_EXTRA_CA_CERTS=/);
  assert.deepEqual(untrusted.sockets(), []);

  const plain = await startServer(t);
  const noTls = runMpvCli(t, [media, "--server", plain.url.replace(/^ws:/, "wss:"), "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await noTls.exit(20_000), 1);
  oneLine(noTls, /does not speak TLS: use ws:\/\/ instead of wss:\/\//);

  const trusted = runMpvCli(t, [media, "--server", wss, "--create", "x", "--", ...HEADLESS_MPV_ARGS], { env: { NODE_EXTRA_CA_CERTS: cert.certFile } });
  const started = await Promise.race([
    new Promise<boolean>((resolve) => trusted.child.stdout!.on("data", () => trusted.stdout().includes("In room") && resolve(true))),
    trusted.exit(30_000).then(() => false),
  ]);
  assert.ok(started, `the command started over TLS: ${trusted.stderr()}`);
  trusted.child.kill("SIGTERM");
  assert.equal(await trusted.exit(15_000), 0);
});

test("the server refuses the hello (Jellyfin login required): says to log in; exit 1, no socket", { timeout: 40_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const jellyfin = await startLoginStandIn(t, { mediaFile: await mpvTestMedia() });
  const server = await startServer(t, { jellyfinUrl: jellyfin.url });
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", server.url, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  assert.equal(await cli.exit(30_000), 1);
  oneLine(cli, /refused you \(auth_required\).*--jellyfin/);
  assert.deepEqual(cli.sockets(), []);
});

test("mpv not installed (or --mpv wrong): says --mpv; exit 1, no room, no socket", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const cli = runMpvCli(t, [await mpvTestMedia(), "--mpv", "/nonexistent/mpv", "--server", server.url, "--create", "x"]);
  assert.equal(await cli.exit(20_000), 1);
  oneLine(cli, /"\/nonexistent\/mpv" was not found.*--mpv/);
  assert.equal(server.core.hub.rooms.size, 0);
  assert.deepEqual(cli.sockets(), []);
});

test("mpv exits while starting (a bad mpv option): mpv's reason, exit 1, no room, no socket", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", server.url, "--create", "x", "--", "--no-config", "--vo=null", "--ao=null", "--no-such-option"]);
  assert.equal(await cli.exit(20_000), 1);
  oneLine(cli, /mpv exited \(1\) before opening .*: .*no-such-option.*\. Check the mpv options \(after --\)/);
  assert.equal(server.core.hub.rooms.size, 0);
  assert.deepEqual(cli.sockets(), []);
});

test("attaching to an mpv with nothing open says so at once; exit 1, that mpv keeps running", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const idle = await launchMpv({ extraArgs: HEADLESS_MPV_ARGS });
  t.after(() => idle.close());
  const cli = runMpvCli(t, ["--ipc", idle.ipcPath, "--server", server.url, "--create", "x"]);
  assert.equal(await cli.exit(20_000), 1);
  oneLine(cli, /has no file open: open one in it first/);
  assert.equal(server.core.hub.rooms.size, 0);
  assert.equal(idle.process?.exitCode, null, "the user's mpv still runs");
});

test("stale sockets of dead runs are removed at start; live ones and others' files are kept", { timeout: 30_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const dir = makeCliDir(t);
  const dead = spawn(process.execPath, ["-e", ""]);
  await once(dead, "exit");
  const stale = `opensyncparty-mpv-${dead.pid}-0123abcd.sock`;
  const live = `opensyncparty-mpv-${process.pid}-0123abcd.sock`;
  const other = `something-else-${dead.pid}.sock`;
  for (const name of [stale, live, other]) writeFileSync(join(dir, name), "");
  // A dead parent's mpv that still runs keeps its socket: something listening there is never removed.
  const listening = `opensyncparty-mpv-${dead.pid}-89abcdef.sock`;
  const holder = createNetServer().listen(join(dir, listening));
  await once(holder, "listening");
  t.after(() => holder.close());
  const cli = runMpvCli(t, ["/nonexistent/nope.mkv", "--create", "x"], { dir });
  assert.equal(await cli.exit(20_000), 1);
  assert.deepEqual(cli.sockets().sort(), [listening, live, other].sort());
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  test(`${signal} once the party runs: leaves, quits mpv, exit 0, socket removed`, { timeout: 40_000 }, async (t) => {
    if (!(await requireMpv(t))) return;
    const server = await startServer(t);
    const cli = runMpvCli(t, [await mpvTestMedia(), "--server", server.url, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
    const started = await Promise.race([
      new Promise<boolean>((resolve) => cli.child.stdout!.on("data", () => cli.stdout().includes("In room") && resolve(true))),
      cli.exit(30_000).then(() => false),
    ]);
    assert.ok(started, `the command started: ${cli.stderr()}`);
    assert.equal(cli.sockets().length, 1, "mpv's socket exists while it runs");
    cli.child.kill(signal);
    assert.equal(await cli.exit(15_000), 0);
    assert.deepEqual(cli.sockets(), [], "socket removed");
    const room = [...server.core.hub.rooms.values()][0];
    assert.ok(!room || room.members.size === 0, "the mpv member left the room");
  });
}

test("SIGINT while still connecting: undoes the start, exit 130, mpv gone, socket removed", { timeout: 40_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const port = await unusedPort();
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", `ws://127.0.0.1:${port}/ws`, "--create", "x", "--", ...HEADLESS_MPV_ARGS]);
  const { MpvIpc } = await import("../../src/players/mpv/mpv-ipc.js");
  const { waitFor } = await import("../support/wait-for.js");
  const socket = await waitFor(() => cli.sockets()[0], "mpv's socket", 20_000);
  // mpv makes the socket file (bind) a moment before it accepts (listen): connect until it does.
  const ipc = await waitFor(() => MpvIpc.connect(join(cli.dir, socket)).catch(() => null), "mpv's socket to accept", 20_000);
  const mpvPid = Number(await ipc.command(["get_property", "pid"]));
  ipc.close();
  cli.child.kill("SIGINT");
  assert.equal(await cli.exit(15_000), 130);
  oneLine(cli, /stopped by SIGINT before the party started/);
  assert.deepEqual(cli.sockets(), []);
  assert.throws(() => process.kill(mpvPid, 0), /ESRCH/, "mpv was stopped");
});
