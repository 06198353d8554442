/**
 * How long a start really takes: from play() until the player's media clock
 * runs, read off its position (docs/sync.md#start-delay). Chromium resolves
 * play()'s promise within a few ms, moves `currentTime` 5–20 ms, then holds
 * it still until ~110 ms after play(); the media then runs 50–90 ms behind
 * the time since play(). That lag is the start delay.
 */
import type { Player } from "../player.js";
import { LATE_TIMER_MS } from "./engine-core.js";
import type { EngineClock } from "./engine-types.js";

/** How often the position is read after play(), ms. */
const START_POLL_MS = 10;
/** The media runs steadily once its lag behind play() held within this… */
const START_STEADY_TOLERANCE_MS = 3;
/** …for this long, ms (Chromium's early 5–20 ms moves last 10–20 ms). */
const START_STEADY_SPAN_MS = 60;
/** A start not seen running within this is not measured (buffering, a hung player), ms. */
export const START_WATCH_MAX_MS = 2000;

export interface StartWatch {
  player: Pick<Player, "getPosition" | "getRate" | "isPaused" | "isBuffering">;
  clock: Pick<EngineClock, "now" | "setTimeout">;
  /** Local instant of play(), ms, and the position then, s. */
  startedMs: number;
  fromPosition: number;
  /** False once the start is superseded (a seek, another start, a clock jump): nothing is learned. */
  current: () => boolean;
  /** The start delay, ms. */
  onMeasured: (ms: number) => void;
}

/**
 * Reads the position every START_POLL_MS after play(). Its lag (time since
 * play() less the media time it moved, at its rate) grows while the media
 * stands still and holds once it runs; the start delay is that lag once it
 * held within START_STEADY_TOLERANCE_MS for START_STEADY_SPAN_MS (brief
 * early moves are not a start). Given up, nothing measured, when `current()`
 * turns false, the player pauses again after it said playing (mpv says so
 * once its property reply came) or buffers, the local clock goes back, a
 * poll comes more than LATE_TIMER_MS late (the page's timers are throttled),
 * or it takes longer than START_WATCH_MAX_MS.
 */
export function watchStart(w: StartWatch): void {
  const { player, clock } = w;
  let seenPlaying = false;
  const lags: Array<{ atMs: number; lagMs: number }> = [];
  let dueMs = clock.now() + START_POLL_MS;
  const poll = () => {
    if (!w.current() || player.isBuffering()) return;
    // The page runs timers late (a throttled background tab, a stall): the readings cannot tell a start's delay.
    if (clock.now() - dueMs > LATE_TIMER_MS) return;
    if (player.isPaused()) {
      if (seenPlaying) return;
    } else seenPlaying = true;
    const atMs = clock.now() - w.startedMs;
    if (atMs < 0) return; // the local clock went back (the engine abandons its plans at its next tick)
    const movedMs = ((player.getPosition() - w.fromPosition) * 1000) / Math.max(0.01, player.getRate());
    const lagMs = atMs - movedMs;
    const earlier = lags.filter((l) => l.atMs <= atMs - START_STEADY_SPAN_MS).at(-1);
    const steady = earlier && lags.every((l) => l.atMs < earlier.atMs || Math.abs(l.lagMs - lagMs) <= START_STEADY_TOLERANCE_MS);
    if (movedMs > 0 && steady) return w.onMeasured(Math.max(0, lagMs));
    lags.push({ atMs, lagMs });
    if (atMs >= START_WATCH_MAX_MS) return;
    dueMs = clock.now() + START_POLL_MS;
    clock.setTimeout(poll, START_POLL_MS);
  };
  clock.setTimeout(poll, START_POLL_MS);
}
