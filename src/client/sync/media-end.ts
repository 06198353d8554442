/**
 * The player at its media's end. Seeking to an end the player cannot reach,
 * or playing from it, would loop: play() there restarts the media from 0
 * (HTML5) or does nothing (mpv), so the engine leaves such a player alone.
 */
import type { Timeline } from "../../protocol/index.js";
import type { Player } from "../player.js";

/** A player this close to its media's end (s) stands at the end (mpv's last frame is one frame short). */
export const END_TOLERANCE_SECONDS = 0.1;

type EndPlayer = Pick<Player, "getPosition" | "getDuration">;

/** The player stands at the end of its media: play() there would restart it from 0 (HTML5) or do nothing (mpv). */
export function playerAtItsEnd(player: EndPlayer): boolean {
  const end = player.getDuration?.();
  return end !== undefined && end !== null && player.getPosition() >= end - END_TOLERANCE_SECONDS;
}

/**
 * The player stands at its media's end and the room's line is there too
 * (or, playing, within `seekThresholdMs` of it): nothing to correct.
 * `timelinePos` is the line's position now, s.
 */
export function bothAtEnd(player: EndPlayer, eff: Timeline, timelinePos: number, seekThresholdMs: number): boolean {
  const end = player.getDuration?.() ?? eff.duration;
  if (end === undefined || end === null || player.getPosition() < end - END_TOLERANCE_SECONDS) return false;
  const margin = eff.play_state === "playing" ? seekThresholdMs / 1000 : END_TOLERANCE_SECONDS;
  return timelinePos >= Math.min(end, eff.duration ?? end) - margin;
}
