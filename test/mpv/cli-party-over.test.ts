/**
 * `opensyncparty mpv` whose party is gone for good while mpv plays (here: the
 * server came back without the room, so the seat cannot be resumed): it says
 * so once on stdout and on mpv's OSD, stops syncing, leaves mpv open, and
 * exits 0 when the user quits mpv — instead of staying silently attached to
 * nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MpvIpc } from "../../src/players/mpv/mpv-ipc.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { runMpvCli } from "../support/mpv-cli.js";
import { unusedPort } from "../support/process-probe.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServe } from "../support/serve-process.js";
import { waitFor } from "../support/wait-for.js";

test("the server comes back without the room: the command says the party is over, mpv stays open, quitting it exits 0", { timeout: 120_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const dir = mkdtempSync(join(tmpdir(), "osp-party-over-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await unusedPort();
  const first = await startServe(t, ["--port", String(port), "--data-file", join(dir, "first.db")]);
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", first.url, "--create", "gone soon", "--", ...HEADLESS_MPV_ARGS]);
  await waitFor(() => cli.stdout().includes("In room "), "the command in its room", 40_000);

  first.child.kill("SIGTERM");
  assert.equal(await first.exited, 0);
  // Same address, another (empty) data file: the room is not there any more.
  await startServe(t, ["--port", String(port), "--data-file", join(dir, "second.db")]);
  await waitFor(() => cli.stdout().includes("The watch party is over"), `the command to say the party is over; stdout: ${cli.stdout()}`, 40_000);
  assert.match(cli.stdout(), /The watch party is over: .*\. mpv stays open; quit it when you are done\./);
  assert.equal(cli.child.exitCode, null, "the command (and so mpv) still runs");

  const [socket] = cli.sockets();
  assert.ok(socket, "mpv's socket is still there");
  const ipc = await MpvIpc.connect(join(cli.dir, socket));
  assert.equal(typeof (await ipc.command(["get_property", "time-pos"])), "number", "mpv still has its media open");
  await ipc.command(["quit"]).catch(() => {}); // mpv may drop the socket before it replies
  ipc.close();
  assert.equal(await cli.exit(20_000), 0);
});
