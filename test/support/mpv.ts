/**
 * Real mpv for tests: skips (outside CI) when mpv or ffmpeg is missing,
 * launches mpv headless on the cached test clip, and tears everything down
 * when the test ends. Plus waiting helpers that never sleep blindly.
 */
import type { TestContext } from "node:test";
import type { PlayerEventName, PlayerEvents } from "../../src/client/player.js";
import { type LaunchedMpv, launchMpv } from "../../src/players/mpv/launch-mpv.js";
import { MpvError, MpvIpc } from "../../src/players/mpv/mpv-ipc.js";
import { MpvPlayer } from "../../src/players/mpv/mpv-player.js";
import { canRun, mpvTestMedia } from "./mpv-media.js";
import { waitFor as waitForCondition } from "./wait-for.js";

/** Headless, deterministic mpv: no user config, no video/audio output. */
export const HEADLESS_MPV_ARGS = ["--no-config", "--vo=null", "--ao=null", "--no-terminal"] as const;

let toolsChecked: Promise<string | null> | null = null;

/** null when mpv and ffmpeg both run, else why not. */
function missingTools(): Promise<string | null> {
  toolsChecked ??= (async () => {
    const missing: string[] = [];
    if (!(await canRun("mpv", "--version"))) missing.push("mpv");
    if (!(await canRun("ffmpeg"))) missing.push("ffmpeg");
    return missing.length === 0 ? null : `${missing.join(" and ")} not found on PATH`;
  })();
  return toolsChecked;
}

/** Skips the test (returns false) when tools are missing outside CI; under CI a missing tool fails it. */
export async function requireMpv(t: TestContext): Promise<boolean> {
  const missing = await missingTools();
  if (missing === null) return true;
  if (process.env["CI"]) throw new Error(`mpv tests must run under CI: ${missing}`);
  t.skip(`${missing}; install mpv and ffmpeg to run the mpv tests`);
  return false;
}

/** Launch headless mpv on the test clip (paused at 0), closed when the test ends. */
export async function startMpv(t: Pick<TestContext, "after">, extraArgs: readonly string[] = []): Promise<LaunchedMpv> {
  const media = await mpvTestMedia();
  const mpv = await launchMpv({ media, extraArgs: [...HEADLESS_MPV_ARGS, ...extraArgs] });
  t.after(() => mpv.close());
  return mpv;
}

/** A second IPC connection, playing the viewer (key presses, another client). */
export async function connectViewer(t: Pick<TestContext, "after">, ipcPath: string): Promise<MpvIpc> {
  const ipc = await MpvIpc.connect(ipcPath);
  t.after(() => ipc.close());
  return ipc;
}

/** An MpvPlayer on `ipcPath` that has reported `ready`. */
export async function startPlayer(t: Pick<TestContext, "after">, ipcPath: string): Promise<MpvPlayer> {
  const player = await MpvPlayer.connect(ipcPath);
  t.after(() => player.destroy());
  const ready = nextEvent(player, "ready");
  await ready;
  return player;
}

/** Resolves with the next `event` (matching `accept`), rejects after `timeoutMs`. */
export function nextEvent<E extends PlayerEventName>(
  player: MpvPlayer,
  event: E,
  accept: (data: PlayerEvents[E]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<PlayerEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = player.on(event, (data) => {
      if (!accept(data)) return;
      clearTimeout(timer);
      off();
      resolve(data);
    });
  });
}

/** `waitFor` of ./wait-for.ts with the description first, as the mpv tests read best. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  // Until mpv has loaded its file (slow on a busy machine), properties such as
  // playback-time answer "property unavailable": that is "not yet", not a failure.
  const notYet = async () => {
    try {
      return await condition();
    } catch (e) {
      if (e instanceof MpvError && e.mpvError === "property unavailable") return false;
      throw e;
    }
  };
  await waitForCondition(notYet, what, timeoutMs);
}

/** mpv's own answer for the current position, s. */
export async function freshPlaybackTime(ipc: MpvIpc): Promise<number> {
  const value = await ipc.command(["get_property", "playback-time"]);
  if (typeof value !== "number") throw new Error(`playback-time is ${JSON.stringify(value)}`);
  return value;
}

/** Resolves once mpv has loaded its file (playback-time readable). */
export function waitLoaded(ipc: MpvIpc): Promise<void> {
  return waitFor("mpv to load the file", () =>
    ipc.command(["get_property", "playback-time"]).then(
      () => true,
      () => false,
    ),
  );
}

/** Records every user_* event of `player`, in order. */
export function recordUserEvents(player: MpvPlayer): string[] {
  const seen: string[] = [];
  for (const name of ["user_play", "user_pause", "user_seek", "user_rate"] as const) {
    player.on(name, () => seen.push(name));
  }
  return seen;
}
