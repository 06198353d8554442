/**
 * The end of the media. Once the room knows the media's duration (the
 * first member's player to learn it reports it with `media_info`), a
 * playing room is paused at the end, for everyone, at the instant its
 * timeline reaches it: `player_event {action: "pause", position: duration,
 * by: "server", reason: "ended"}`. Seed clients stop there too, a late
 * joiner is told the duration, not a position beyond it.
 *
 * This module only keeps the timer; the pause itself is passed in
 * (timeline-commands applies it), so the import graph stays one-way.
 */
import { endInstant, standingPositionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import type { Room } from "./room.js";

/** Longest delay a timer takes (2^31 − 1 ms, about 24.8 days); a later end is re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** What the end does to the room: pause it at the duration. */
export type EndMedia = (hub: Hub, room: Room, duration: number) => void;

/**
 * (Re)arms the room's end timer for its current timeline (toward its duration, else maxPositionSeconds); disarms it when the room is not playing.
 * A timer armed for this very timeline is kept: timelines are replaced, never changed in place, so the same object
 * means the same end instant (a host's report that did not move the line costs no timer).
 */
export function scheduleMediaEnd(hub: Hub, room: Room, end: EndMedia): void {
  const line = room.timeline;
  if (room.endTimer !== null && room.endTimerLine === line) return;
  if (room.endTimer !== null) hub.clock.clearTimeout(room.endTimer);
  room.endTimer = null;
  room.endTimerLine = null;
  // Without a known duration the line still ends at the largest position members may send (maxPositionSeconds): run
  // past it, the host could neither pause where it was nor report its state (invalid_payload).
  const duration = line.duration ?? hub.config.maxPositionSeconds;
  const at = endInstant({ ...line, duration });
  if (at === null) return;
  room.endTimerLine = line;
  room.endTimer = hub.clock.setTimeout(
    () => {
      room.endTimer = null;
      room.endTimerLine = null;
      // A newer command re-armed (or disarmed) the timer; a closed room is gone.
      if (hub.rooms.get(room.id) !== room || room.timeline !== line) return;
      if (hub.now() < at - 1000) return scheduleMediaEnd(hub, room, end); // a step of a very long wait
      end(hub, room, duration);
    },
    Math.min(MAX_TIMER_MS, Math.max(0, at - hub.now())),
  );
}

/**
 * A member's player learned the media's duration, s; `byController` when the
 * member may control the room (the host, or anyone with shared control).
 * The room keeps the shortest duration reported (every player can reach that
 * end), but a duration can end or pin the room, so a member who may not
 * control it cannot do either: its report is taken only while no
 * controller's is known, and never when it is short of where the room is now.
 * A controller's report replaces one that came from another member, longer or
 * shorter. Re-anchors the line now; returns true when the duration changed.
 */
export function learnMediaDuration(hub: Hub, room: Room, duration: number, byController: boolean): boolean {
  const known = room.mediaDuration;
  const shorter = known === null || duration < known - 0.001;
  if (byController) {
    // Another member's duration gives way to a controller's; among controllers' reports the shortest stays.
    const same = known !== null && Math.abs(duration - known) <= 0.001;
    if (same) room.durationByController = true;
    if (same || (room.durationByController && !shorter)) return false;
  } else if (!shorter || room.durationByController || duration < standingPositionAt(room.timeline, hub.now())) {
    return false;
  }
  room.setMediaDuration(duration, hub.now(), byController);
  return true;
}
