/** MpvIpc against a real mpv: replies by request_id, errors, observers, events, close. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MpvError, MpvIpc } from "../../src/players/mpv/mpv-ipc.js";
import { requireMpv, startMpv, waitLoaded } from "../support/mpv.js";

test("commands resolve with data; mpv errors reject with MpvError", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const ipc = await MpvIpc.connect(mpv.ipcPath);
  t.after(() => ipc.close());
  const [pause, volume, version] = await Promise.all([
    ipc.command(["get_property", "pause"]),
    ipc.command(["get_property", "volume"]),
    ipc.command(["get_property", "mpv-version"]),
  ]);
  assert.equal(pause, true);
  assert.equal(typeof volume, "number");
  assert.match(String(version), /^mpv /);
  await assert.rejects(ipc.command(["get_property", "no-such-property"]), (err: unknown) => {
    assert.ok(err instanceof MpvError);
    assert.equal(err.mpvError, "property not found");
    return true;
  });
  await assert.rejects(ipc.command(["no-such-command"]), MpvError);
});

test("observe delivers the current value, then changes; events arrive by name", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const ipc = await MpvIpc.connect(mpv.ipcPath);
  t.after(() => ipc.close());
  const values: unknown[] = [];
  let changed: () => void = () => {};
  const gotFalse = new Promise<void>((resolve) => {
    changed = resolve;
  });
  const unobserve = await ipc.observe("pause", (v) => {
    values.push(v);
    if (v === false) changed();
  });
  await waitLoaded(ipc);
  const seekEvent = new Promise<string>((resolve) => ipc.on("seek", (e) => resolve(e.event)));
  await ipc.command(["set_property", "pause", false]);
  await gotFalse;
  assert.deepEqual(values, [true, false]);
  await ipc.command(["seek", 3, "absolute"]);
  assert.equal(await seekEvent, "seek");
  await unobserve();
});

test("close rejects pending commands, is idempotent, and later commands reject", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const ipc = await MpvIpc.connect(mpv.ipcPath);
  let closes = 0;
  ipc.onClose(() => closes++);
  const pending = ipc.command(["get_property", "pause"]);
  ipc.close();
  ipc.close();
  await assert.rejects(pending, /connection closed/);
  await assert.rejects(ipc.command(["get_property", "pause"]), /connection closed/);
  assert.equal(closes, 1);
  assert.equal(ipc.closed, true);
});

test("mpv going away closes the connection and rejects what is pending", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const ipc = await MpvIpc.connect(mpv.ipcPath);
  const closed = new Promise<void>((resolve) => ipc.onClose(resolve));
  mpv.process?.kill("SIGKILL");
  await closed;
  await assert.rejects(ipc.command(["get_property", "pause"]), MpvError);
});
