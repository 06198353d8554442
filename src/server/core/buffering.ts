/**
 * "Wait for everyone" without Jellyfin SyncPlay's endless Waiting:
 * - a member's stall (`ready:false`) pauses a playing room only once it has
 *   lasted `stallPauseAfterMs`; shorter stalls are caught up by the member's
 *   own correction, so micro-stalls and seek flickers never pause anyone;
 * - the room resumes (at one scheduled instant) when every waited-for member
 *   is ready again or its own `wait_timeout_ms` ran out; a member that timed
 *   out is not waited for again until it has reported ready once;
 * - a member whose stalls paused the room `stallCapCount` times within
 *   `stallCapWindowMs` is no longer waited for (the room gets
 *   `wait_skipped`): one bad connection — or a guest sending `ready:false`
 *   on purpose — cannot hold everyone hostage.
 * docs/sync.md (Stalls) and docs/protocol.md (Buffering) describe the rules.
 */
import { standingPositionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import { onMemberRemoved } from "./member-events.js";
import { type Member, type Room, clearTimers } from "./room.js";
import { announceMemberChange, broadcastParticipants } from "./room-views.js";
import { applyCommand } from "./timeline-commands.js";

// A member that leaves is no longer waited for (and may be the last one the room waited for).
onMemberRemoved((hub, room, clientId) => stopWaiting(hub, room, clientId, "buffering"));

export function setMemberReady(hub: Hub, room: Room, clientId: string, ready: boolean): void {
  const member = room.members.get(clientId);
  if (!member) return;
  const changed = member.ready !== ready;
  member.ready = ready;
  if (ready) {
    member.waitExempt = false;
    cancelStall(hub, room, clientId);
    if (room.waiting?.has(clientId)) stopWaiting(hub, room, clientId, "buffering");
  } else if (
    room.settings.buffering_policy === "wait" &&
    !member.waitExempt &&
    !room.waiting?.has(clientId) &&
    !room.stalling?.has(clientId)
  ) {
    const after = hub.config.stallPauseAfterMs;
    if (after === 0) startWaiting(hub, room, clientId);
    else
      room.stallTimers().set(
        clientId,
        hub.clock.setTimeout(() => {
          room.stalling?.delete(clientId);
          if (room.members.get(clientId)?.ready === false) startWaiting(hub, room, clientId);
        }, after),
      );
  }
  if (changed) announceMemberChange(hub, room);
}

/** The member's stalls that paused the room within the cap's window, pruning older ones. */
function recentStallPauses(hub: Hub, member: Member): number {
  const pauses = member.stallPauses;
  if (pauses === null) return 0;
  const since = hub.now() - hub.config.stallCapWindowMs;
  while (pauses.length > 0 && (pauses[0] as number) <= since) pauses.shift();
  return pauses.length;
}

function startWaiting(hub: Hub, room: Room, clientId: string): void {
  const member = room.members.get(clientId);
  const timeout = room.settings.wait_timeout_ms;
  if (!member || timeout <= 0) return;
  const willPause = room.timeline.play_state === "playing" && !room.pausedForBuffering;
  if (willPause && recentStallPauses(hub, member) >= hub.config.stallCapCount) {
    member.waitExempt = true;
    hub.broadcast(room, "wait_skipped", {
      client_id: clientId,
      reason: "stall_cap",
      pauses: member.stallPauses?.length ?? 0,
      window_ms: hub.config.stallCapWindowMs,
    });
    return;
  }
  room.waitTimers().set(
    clientId,
    hub.clock.setTimeout(() => {
      const m = room.members.get(clientId);
      if (m) m.waitExempt = true;
      stopWaiting(hub, room, clientId, "buffering_timeout");
      broadcastParticipants(hub, room);
    }, timeout),
  );
  if (willPause) {
    room.pausedForBuffering = true;
    if (member.stallPauses === null) member.stallPauses = [hub.now()];
    else member.stallPauses.push(hub.now());
    const now = hub.now();
    applyCommand(hub, room, { action: "pause", position: standingPositionAt(room.timeline, now), by: "server", reason: "buffering" });
  }
  broadcastParticipants(hub, room);
}

function cancelStall(hub: Hub, room: Room, clientId: string): void {
  const stalling = room.stalling;
  const timer = stalling?.get(clientId);
  if (stalling === null || timer === undefined) return;
  hub.clock.clearTimeout(timer);
  stalling.delete(clientId);
}

/** Removes a member from the wait (ready, timed out, or gone) and resumes the room if nobody is left. */
export function stopWaiting(hub: Hub, room: Room, clientId: string, reason: "buffering" | "buffering_timeout"): void {
  cancelStall(hub, room, clientId);
  const waiting = room.waiting;
  const timer = waiting?.get(clientId);
  if (waiting === null || timer === undefined) return;
  hub.clock.clearTimeout(timer);
  waiting.delete(clientId);
  if (waiting.size === 0 && room.pausedForBuffering) {
    room.pausedForBuffering = false;
    applyCommand(hub, room, { action: "play", position: room.timeline.position, by: "server", reason });
  }
}

/** A user command ends any automatic wait (and any stall not yet long enough): the room now does what a person asked. */
export function clearWaits(hub: Hub, room: Room): void {
  clearTimers(room.waiting, hub.clock);
  room.waiting = null;
  clearTimers(room.stalling, hub.clock);
  room.stalling = null;
  room.pausedForBuffering = false;
}
