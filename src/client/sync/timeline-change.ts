/**
 * How a timeline the room sends relates to the one the engine follows: the
 * very same (a duplicate), the same line re-anchored (a `state_update`), or
 * a different line (a command: play, pause, seek or a new rate). Pure.
 */
import { positionAt, type Timeline } from "../../protocol/index.js";

/** A re-anchored line whose position at the new anchor differs by more than this (s) is a different line. */
const SAME_LINE_TOLERANCE_SECONDS = 0.05;

/** True when `a` and `b` carry the same position, play state, rate and anchor. */
export function sameTimeline(a: Timeline, b: Timeline): boolean {
  return (
    a.position === b.position &&
    a.play_state === b.play_state &&
    a.rate === b.rate &&
    a.anchor_server_ts === b.anchor_server_ts
  );
}

/** True when `next` is a different line (a command), not the same line re-anchored. */
export function changesLine(old: Timeline, next: Timeline): boolean {
  if (old.play_state !== next.play_state || old.rate !== next.rate) return true;
  return Math.abs(positionAt(old, next.anchor_server_ts) - next.position) > SAME_LINE_TOLERANCE_SECONDS;
}
