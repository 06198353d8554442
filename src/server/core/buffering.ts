/**
 * "Wait for everyone" without Jellyfin SyncPlay's endless Waiting: a
 * buffering member pauses a playing room, and the room resumes when every
 * waited-for member is ready again or its own timeout ran out. A member that
 * timed out catches up on its own and is not waited for again until it has
 * reported ready once.
 */
import { positionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import type { Room } from "./room.js";
import { broadcastParticipants } from "./room-views.js";
import { applyCommand } from "./timeline-commands.js";

export function setMemberReady(hub: Hub, room: Room, clientId: string, ready: boolean): void {
  const member = room.members.get(clientId);
  if (!member) return;
  const changed = member.ready !== ready;
  member.ready = ready;
  if (ready) member.waitExempt = false;
  if (!ready && room.settings.buffering_policy === "wait" && !member.waitExempt && !room.waiting.has(clientId)) {
    startWaiting(hub, room, clientId);
  } else if (ready && room.waiting.has(clientId)) {
    stopWaiting(hub, room, clientId, "buffering");
  }
  if (changed) broadcastParticipants(hub, room);
}

function startWaiting(hub: Hub, room: Room, clientId: string): void {
  const timeout = room.settings.wait_timeout_ms;
  if (timeout <= 0) return;
  room.waiting.set(
    clientId,
    hub.clock.setTimeout(() => {
      const m = room.members.get(clientId);
      if (m) m.waitExempt = true;
      stopWaiting(hub, room, clientId, "buffering_timeout");
      broadcastParticipants(hub, room);
    }, timeout),
  );
  if (room.timeline.play_state === "playing" && !room.pausedForBuffering) {
    room.pausedForBuffering = true;
    const now = hub.now();
    applyCommand(hub, room, { action: "pause", position: positionAt(room.timeline, now), by: "server", reason: "buffering" });
  }
}

/** Removes a member from the wait (ready, timed out, or gone) and resumes the room if nobody is left. */
export function stopWaiting(hub: Hub, room: Room, clientId: string, reason: "buffering" | "buffering_timeout"): void {
  const timer = room.waiting.get(clientId);
  if (timer === undefined) return;
  hub.clock.clearTimeout(timer);
  room.waiting.delete(clientId);
  if (room.waiting.size === 0 && room.pausedForBuffering) {
    room.pausedForBuffering = false;
    applyCommand(hub, room, { action: "play", position: room.timeline.position, by: "server", reason });
  }
}

/** A user command ends any automatic wait: the room now does what a person asked. */
export function clearWaits(hub: Hub, room: Room): void {
  for (const timer of room.waiting.values()) hub.clock.clearTimeout(timer);
  room.waiting.clear();
  room.pausedForBuffering = false;
}
