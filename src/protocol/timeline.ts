/**
 * The room's playback as a line in server time: at server instant
 * `anchor_server_ts` (ms) the media was at `position` (s), moving at `rate`
 * when `play_state` is "playing". Anyone computes "where are we now" from it.
 * Pure math: no clock reads, no I/O.
 */
export type PlayState = "playing" | "paused";

export interface Timeline {
  position: number;
  play_state: PlayState;
  rate: number;
  anchor_server_ts: number;
}

/** Position (s) the timeline gives at server time `serverTs` (ms), never below 0. */
export function positionAt(t: Timeline, serverTs: number): number {
  if (t.play_state !== "playing") return t.position;
  return Math.max(0, t.position + ((serverTs - t.anchor_server_ts) / 1000) * t.rate);
}

/** A new timeline that holds the same line, re-anchored at `serverTs`. */
export function reanchor(t: Timeline, serverTs: number): Timeline {
  return { ...t, position: positionAt(t, serverTs), anchor_server_ts: serverTs };
}

/**
 * The line a member should be on at `serverTs` when `next` is scheduled to
 * take over at its anchor and `prev` held until then. A play from pause
 * holds still until its instant; a pause keeps the previous motion until then.
 */
export function effectiveTimeline(prev: Timeline | undefined, next: Timeline, serverTs: number): Timeline {
  if (!prev || serverTs >= next.anchor_server_ts) return next;
  if (next.play_state === "playing" && prev.play_state === "paused") {
    return { ...next, play_state: "paused" };
  }
  if (next.play_state === "paused" && prev.play_state === "playing") return prev;
  return next;
}
