/**
 * mpv going on to another file — the next playlist entry, a file dropped
 * on its window, `loadfile` — is not the party's media: the room keeps its
 * media's duration and timeline (before, a 10 s file loaded by the host's
 * mpv ended a 30 s film for everyone at 10 s), and mpv is not synced until
 * it is back on the party's file, where it rejoins the room's timeline.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { FakePlayer } from "../support/fake-player.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { MPV_MEDIA_DURATION_SECONDS, mpvTestMedia } from "../support/mpv-media.js";
import { realClock } from "../support/real-clock.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

const OTHER_SECONDS = 10;

/** Another clip: shorter, another frame rate (30 fps against the party's 25). */
async function otherClip(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "osp-other-")), "other.mkv");
  await promisify(execFile)(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", `testsrc2=size=160x90:rate=30:duration=${OTHER_SECONDS}`],
      ...["-f", "lavfi", "-i", `sine=frequency=660:sample_rate=48000:duration=${OTHER_SECONDS}`],
      ...["-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file],
    ],
    { timeout: 120_000 },
  );
  return file;
}

/** True when mpv has `file` loaded and plays it past `seconds` (false while it loads: its properties are unavailable). */
async function playingPast(party: { player: { ipc: { command(c: unknown[]): Promise<unknown> } } }, file: string, seconds: number): Promise<boolean> {
  const path = await party.player.ipc.command(["get_property", "path"]).catch(() => null);
  const time = await party.player.ipc.command(["get_property", "playback-time"]).catch(() => null);
  return path === file && typeof time === "number" && time > seconds;
}

test("mpv: another file loaded in the host's mpv leaves the room's media, duration and timeline alone", { timeout: 90_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const [film, other] = await Promise.all([mpvTestMedia(), otherClip()]);
  const server = await startServer(t);
  const party = await startMpvParty({ media: film, server: server.url, create: "Films", name: "Host", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  const bob = new PartyClient({ url: server.url, displayName: "Bob", createSocket: nodeWebSocket });
  t.after(() => bob.close());
  await bob.connect();
  await bob.joinRoom(party.client.room?.id ?? "");
  bob.attachPlayer(new FakePlayer({ clock: realClock, seekLatencyMs: 20 }));
  await waitFor(() => bob.mediaDuration !== null, "the room knows the film's duration", 10_000);
  await waitFor(() => party.client.clock.synced && bob.clock.synced, "clocks synced", 10_000);

  await party.client.play(12);
  await waitFor(() => !party.player.isPaused() && party.player.getPosition() > 12.3, "the host's mpv playing the film past 12 s", 15_000);
  const seen: string[] = [];
  bob.on("change", () => {
    const tl = bob.room?.timeline;
    if (tl && (tl.play_state !== "playing" || (tl.duration ?? MPV_MEDIA_DURATION_SECONDS) < MPV_MEDIA_DURATION_SECONDS - 1)) seen.push(JSON.stringify(tl));
  });

  await party.player.ipc.command(["loadfile", other, "replace"]);
  await waitFor(() => playingPast(party, other, 0.5), "mpv playing the other file", 15_000);
  // Back to the party's file: mpv rejoins the room's timeline, which went on meanwhile.
  await party.player.ipc.command(["loadfile", film, "replace"]);
  await waitFor(() => playingPast(party, film, 12.5), "mpv back on the film at the room's place", 15_000);
  await waitFor(() => !party.player.isPaused(), "mpv playing with the room", 10_000);

  assert.deepEqual(seen, [], "the room never paused nor took the other file's duration");
  assert.ok(Math.abs((bob.mediaDuration ?? 0) - MPV_MEDIA_DURATION_SECONDS) < 0.2, `the room's duration stays the film's: ${bob.mediaDuration}`);
  assert.equal(bob.room?.timeline.play_state, "playing");
});
