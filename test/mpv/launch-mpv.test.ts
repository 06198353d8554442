/** launchMpv: spawn with a socket, attach to an existing one, idempotent close, clear failures. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { launchMpv } from "../../src/players/mpv/launch-mpv.js";
import { MpvIpc } from "../../src/players/mpv/mpv-ipc.js";
import { HEADLESS_MPV_ARGS, requireMpv, startMpv } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";

test("spawns mpv paused on the media with an accepting socket; close quits it once and deletes the socket file", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  assert.ok(mpv.process);
  const ipc = await MpvIpc.connect(mpv.ipcPath);
  t.after(() => ipc.close());
  assert.equal(await ipc.command(["get_property", "pause"]), true);
  assert.equal(await ipc.command(["get_property", "keep-open"]), true);
  const exited = new Promise((resolve) => mpv.process?.once("exit", (code) => resolve(code)));
  await Promise.all([mpv.close(), mpv.close()]);
  assert.equal(await exited, 0, "mpv quit cleanly (quit command, not a signal)");
  assert.equal(existsSync(mpv.ipcPath), false, "close() deleted the socket file mpv leaves behind");
  await mpv.close();
});

test("attaches to an mpv that is already listening, and leaves it running on close", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const owner = await startMpv(t);
  const attached = await launchMpv({ ipcPath: owner.ipcPath, attach: true });
  assert.equal(attached.process, null);
  await attached.close();
  const ipc = await MpvIpc.connect(owner.ipcPath);
  t.after(() => ipc.close());
  assert.equal(await ipc.command(["get_property", "idle-active"]), false);
});

test("fails clearly when mpv cannot start", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const media = await mpvTestMedia();
  await assert.rejects(launchMpv({ media, mpvPath: "/nonexistent/mpv" }), /ENOENT/);
  const ipcPath = "/nonexistent-dir/mpv.sock";
  await assert.rejects(
    launchMpv({ media, ipcPath, extraArgs: [...HEADLESS_MPV_ARGS, "--no-such-option"] }),
    /mpv exited/,
  );
  assert.equal(existsSync(ipcPath), false);
});
