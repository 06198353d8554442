/**
 * MpvPlayer against a real, headless mpv: readiness, playback, own actions
 * (never reported as user_*), viewer actions through a second IPC
 * connection (always reported), and the end of the file.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MPV_MEDIA_DURATION_SECONDS } from "../support/mpv-media.js";
import {
  connectViewer,
  freshPlaybackTime,
  nextEvent,
  recordUserEvents,
  requireMpv,
  startMpv,
  startPlayer,
  waitFor,
} from "../support/mpv.js";

test("reports ready with the duration, starts paused at 0", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const ready = await (async () => {
    const { MpvPlayer } = await import("../../src/players/mpv/mpv-player.js");
    const player = await MpvPlayer.connect(mpv.ipcPath);
    t.after(() => player.destroy());
    return { player, data: await nextEvent(player, "ready") };
  })();
  assert.ok(ready.data.duration !== null);
  assert.ok(Math.abs(ready.data.duration - MPV_MEDIA_DURATION_SECONDS) < 0.5, `duration ${ready.data.duration}`);
  assert.equal(ready.player.isPaused(), true);
  assert.equal(ready.player.getRate(), 1);
  assert.equal(ready.player.isBuffering(), false);
  assert.ok(ready.player.getPosition() < 0.1);
});

test("play advances at about real rate; pause stops it; own actions are not user actions", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const userEvents = recordUserEvents(player);
  const viewer = await connectViewer(t, mpv.ipcPath);

  await player.play();
  await waitFor("playback to start", async () => (await freshPlaybackTime(viewer)) > 0.2);
  const startSeconds = await freshPlaybackTime(viewer);
  const startMs = performance.now();
  await waitFor("1 s of playback", async () => (await freshPlaybackTime(viewer)) >= startSeconds + 1);
  const rate = ((await freshPlaybackTime(viewer)) - startSeconds) / ((performance.now() - startMs) / 1000);
  // Playing means the media advances with time; how evenly depends on the machine's load, so the band is wide.
  assert.ok(rate > 0.5 && rate < 2, `media advanced at ${rate.toFixed(3)}x real time`);
  assert.equal(player.isPaused(), false);

  await player.pause();
  await waitFor("the adapter to see the pause", () => player.isPaused());
  const pausedAt = await freshPlaybackTime(viewer);
  assert.ok(Math.abs(player.getPosition() - pausedAt) < 0.1, `${player.getPosition()} vs ${pausedAt}`);

  // A viewer action after the own ones: events arrive in order, so any
  // user_* caused by the own actions would already be recorded before it.
  const userPlay = nextEvent(player, "user_play");
  await viewer.command(["set_property", "pause", false]);
  await userPlay;
  assert.deepEqual(userEvents, ["user_play"]);
});

test("seek resolves when mpv has landed near the target, with latency", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const userEvents = recordUserEvents(player);
  const viewer = await connectViewer(t, mpv.ipcPath);

  const seeked = nextEvent(player, "seeked");
  await player.seek(12.5);
  const landed = await seeked;
  assert.ok(Math.abs(landed.position - 12.5) < 0.05, `landed at ${landed.position}`);
  // A measured latency, not a speed requirement (how fast mpv seeks depends on the machine's load).
  assert.ok(landed.latencyMs !== null && Number.isFinite(landed.latencyMs) && landed.latencyMs > 0, `latency ${landed.latencyMs}`);
  t.diagnostic(`seek latency ${landed.latencyMs?.toFixed(1)} ms`);
  assert.ok(Math.abs((await freshPlaybackTime(viewer)) - 12.5) < 0.05);
  assert.ok(Math.abs(player.getPosition() - 12.5) < 0.05);

  // Overlapping own seeks merge: all resolve, the newest target wins.
  await Promise.all([player.seek(3), player.seek(20), player.seek(7)]);
  assert.ok(Math.abs(player.getPosition() - 7) < 0.05, `after merged seeks at ${player.getPosition()}`);

  // While playing, too.
  await player.play();
  await player.seek(25);
  assert.ok(Math.abs((await freshPlaybackTime(viewer)) - 25) < 0.3);

  const userSeek = nextEvent(player, "user_seek");
  await viewer.command(["seek", 5, "absolute+exact"]);
  const viewerSeek = await userSeek;
  assert.ok(Math.abs(viewerSeek.position - 5) < 0.3, `viewer seek reported at ${viewerSeek.position}`);
  assert.deepEqual(userEvents, ["user_seek"]);
});

test("setRate resolves with the applied speed; a viewer's speed change is user_rate", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const userEvents = recordUserEvents(player);
  const viewer = await connectViewer(t, mpv.ipcPath);

  assert.equal(await player.setRate(1.05), 1.05);
  assert.equal(await viewer.command(["get_property", "speed"]), 1.05);
  await waitFor("the adapter to see speed 1.05", () => player.getRate() === 1.05);
  assert.equal(await player.setRate(1), 1, "integer rates work (set_property would reject a JSON integer)");
  assert.equal(await player.setRate(500), 100, "clamped to mpv's maximum");
  assert.equal(await player.setRate(1), 1);

  const userRate = nextEvent(player, "user_rate");
  await viewer.command(["set", "speed", "1.5"]);
  assert.deepEqual(await userRate, { rate: 1.5 });
  assert.deepEqual(userEvents, ["user_rate"]);
});

test("viewer pause/play by key press and by another client are user actions", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const userEvents = recordUserEvents(player);
  const viewer = await connectViewer(t, mpv.ipcPath);

  const play = nextEvent(player, "user_play");
  await viewer.command(["keypress", "space"]);
  await play;
  assert.equal(player.isPaused(), false);

  await player.pause();
  await player.play();
  const pause = nextEvent(player, "user_pause");
  await viewer.command(["set_property", "pause", true]);
  const paused = await pause;
  assert.ok(Math.abs(paused.position - (await freshPlaybackTime(viewer))) < 0.1);
  assert.deepEqual(userEvents, ["user_play", "user_pause"]);
});

test("reports ended at the end of the file (keep-open), without a user_pause", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const userEvents = recordUserEvents(player);
  const viewer = await connectViewer(t, mpv.ipcPath);

  await player.seek(MPV_MEDIA_DURATION_SECONDS - 0.5);
  const ended = nextEvent(player, "ended");
  await player.play();
  await ended;
  await waitFor("mpv's keep-open pause", () => player.isPaused());
  // Order check as above: the viewer's seek comes after mpv's end-of-file pause.
  // (A viewer's play at the very end would be undone by keep-open at once.)
  const userSeek = nextEvent(player, "user_seek");
  await viewer.command(["seek", 10, "absolute+exact"]);
  await userSeek;
  assert.deepEqual(userEvents, ["user_seek"]);
});

test("destroy rejects a pending seek; mpv quitting reports an error", { timeout: 20_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const mpv = await startMpv(t);
  const player = await startPlayer(t, mpv.ipcPath);
  const error = nextEvent(player, "error");
  await mpv.close();
  assert.match((await error).message, /closed/);
  await assert.rejects(player.seek(3));
  player.destroy();
  player.destroy();
});
