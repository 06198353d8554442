/**
 * The room's playback as a line in server time: at server instant
 * `anchor_server_ts` (ms) the media was at `position` (s), moving at `rate`
 * when `play_state` is "playing". Anyone computes "where are we now" from it.
 * When the media's length is known (`duration`, s, an extension field), the
 * line stops there: positions are clamped to it and a playing line that has
 * reached it reads as paused at the end.
 * Pure math: no clock reads, no I/O.
 */
export type PlayState = "playing" | "paused";

export interface Timeline {
  position: number;
  play_state: PlayState;
  rate: number;
  anchor_server_ts: number;
  /** ext: the media's duration, s, once a member's player learned it; absent while unknown. */
  duration?: number;
}

/** `position` (s) clamped to [0, duration]; only the lower bound while the duration is unknown. */
export function clampToDuration(position: number, duration: number | undefined): number {
  const p = Math.max(0, position);
  return duration === undefined ? p : Math.min(duration, p);
}

/** Position (s) the timeline gives at server time `serverTs` (ms): never below 0, never past the duration. */
export function positionAt(t: Timeline, serverTs: number): number {
  if (t.play_state !== "playing") return clampToDuration(t.position, t.duration);
  return clampToDuration(t.position + ((serverTs - t.anchor_server_ts) / 1000) * t.rate, t.duration);
}

/**
 * Position (s) the server stands the line at, at `serverTs` (ms): as positionAt, except that a line whose start
 * instant is still ahead (a play or seek scheduled at now + lead) stands at its position — read back before its
 * start, it would give a place lead × rate before where everyone is about to start.
 */
export function standingPositionAt(t: Timeline, serverTs: number): number {
  return positionAt(t, Math.max(serverTs, t.anchor_server_ts));
}

/** A new timeline that holds the same line, re-anchored at `serverTs`. */
export function reanchor(t: Timeline, serverTs: number): Timeline {
  return { ...t, position: positionAt(t, serverTs), anchor_server_ts: serverTs };
}

/**
 * `t` with the media duration `duration` (s; null: unknown, the field is
 * dropped) and its position clamped to it. The line itself is unchanged.
 */
export function withDuration(t: Timeline, duration: number | null): Timeline {
  const { duration: _old, ...line } = t;
  if (duration === null) return line;
  return { ...line, position: clampToDuration(line.position, duration), duration };
}

/**
 * Server instant (ms) at which a playing line reaches its duration; null
 * when it never will (paused, duration unknown, rate not positive).
 */
export function endInstant(t: Timeline): number | null {
  if (t.play_state !== "playing" || t.duration === undefined || !(t.rate > 0)) return null;
  return t.anchor_server_ts + Math.max(0, ((t.duration - t.position) / t.rate) * 1000);
}

/** True when the line stands at its end at `serverTs`: the duration is known and reached. */
export function atEnd(t: Timeline, serverTs: number): boolean {
  return t.duration !== undefined && positionAt(t, serverTs) >= t.duration;
}

/**
 * The line a member should be on at `serverTs` when `next` is scheduled to
 * take over at its anchor and `prev` held until then. A play from pause
 * holds still until its instant; a pause keeps the previous motion until then.
 * A line that has reached the media's end is paused there: no player is
 * asked to play past the end (an HTML5 element would restart from 0).
 */
export function effectiveTimeline(prev: Timeline | undefined, next: Timeline, serverTs: number): Timeline {
  const eff = scheduledLine(prev, next, serverTs);
  if (eff.play_state !== "playing" || !atEnd(eff, serverTs)) return eff;
  return { ...eff, position: eff.duration ?? eff.position, play_state: "paused", anchor_server_ts: serverTs };
}

function scheduledLine(prev: Timeline | undefined, next: Timeline, serverTs: number): Timeline {
  if (!prev || serverTs >= next.anchor_server_ts) return next;
  if (next.play_state === "playing" && prev.play_state === "paused") {
    return { ...next, play_state: "paused" };
  }
  if (next.play_state === "paused" && prev.play_state === "playing") return prev;
  return next;
}
