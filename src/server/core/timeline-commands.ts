/**
 * Changing a room's timeline: every change is scheduled at
 * `target_server_ts = now + lead`, becomes the room's timeline, and is
 * fanned out to the members as `player_event`. The sender learns the same
 * instant from its `ack` (only clients that send an `id` get one), so the
 * seed's "relayed to the other members" still holds.
 */
import { type PlayerAction, type PlayerEventOutPayload, type Timeline, positionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import { currentLeadMs } from "./lead.js";
import { scheduleMediaEnd } from "./media-end.js";
import type { Room } from "./room.js";
import { persist } from "./room-views.js";

/** A reported pause position this close to the timeline freezes where the timeline is at the instant, s. */
const PAUSE_SNAP_SECONDS = 1;

export interface CommandInput {
  action: PlayerAction;
  position: number;
  rate?: number | undefined;
  by: string;
  reason?: PlayerEventOutPayload["reason"];
  /** Sender's own timestamp, relayed as the envelope `ts`. */
  ts?: number | undefined;
  /** Do not relay to this member (it learns through its ack). */
  exceptId?: string | undefined;
}

/** The timeline after `cmd`, scheduled at `target`, given the current one. Pure. */
export function nextTimeline(
  cur: Timeline,
  cmd: Pick<CommandInput, "action" | "position" | "rate">,
  now: number,
  target: number,
): Timeline {
  const rate = cmd.rate ?? cur.rate;
  switch (cmd.action) {
    case "play":
      return { position: cmd.position, play_state: "playing", rate, anchor_server_ts: target };
    case "pause": {
      const expectedNow = positionAt(cur, now);
      const snap = cur.play_state === "playing" && Math.abs(cmd.position - expectedNow) <= PAUSE_SNAP_SECONDS;
      const position = snap ? positionAt(cur, target) : cmd.position;
      return { position, play_state: "paused", rate, anchor_server_ts: target };
    }
    case "seek":
      return { position: cmd.position, play_state: cur.play_state, rate, anchor_server_ts: target };
  }
}

/** Applies a command to the room and fans it out. Returns what the sender's ack carries. */
export function applyCommand(hub: Hub, room: Room, cmd: CommandInput): PlayerEventOutPayload {
  const now = hub.now();
  const target = now + currentLeadMs(hub, room);
  room.timeline = nextTimeline(room.timeline, cmd, now, target);
  const timeline = room.timeline; // clamped to the media's duration by the room
  room.lastTimelineBroadcastAt = now;
  const payload: PlayerEventOutPayload = {
    action: cmd.action,
    position: timeline.position,
    target_server_ts: target,
    timeline,
    by: cmd.by,
    reason: cmd.reason ?? "user",
  };
  hub.broadcast(room, "player_event", payload, {
    from: cmd.by === "server" ? "" : cmd.by,
    exceptId: cmd.exceptId,
    ...(cmd.ts !== undefined ? { ts: cmd.ts } : {}),
  });
  persist(hub, room);
  scheduleStateBroadcast(hub, room);
  armMediaEnd(hub, room);
  return payload;
}

/** After any change of the room's timeline: pause the room at the media's end when it gets there (media-end.ts). */
export function armMediaEnd(hub: Hub, room: Room): void {
  scheduleMediaEnd(hub, room, (h, r, duration) =>
    applyCommand(h, r, { action: "pause", position: duration, by: "server", reason: "ended" }),
  );
}

/**
 * While a room plays, re-announce its timeline as `state_update` every
 * `stateBroadcastIntervalMs` unless something else did: seed clients only
 * correct drift on these, and an SDK host never sends them.
 */
export function scheduleStateBroadcast(hub: Hub, room: Room): void {
  const interval = hub.config.stateBroadcastIntervalMs;
  if (interval === 0 || room.stateTimer !== null || room.timeline.play_state !== "playing") return;
  room.stateTimer = hub.clock.setTimeout(() => {
    room.stateTimer = null;
    if (!hub.rooms.has(room.id) || room.timeline.play_state !== "playing") return;
    const now = hub.now();
    if (now - room.lastTimelineBroadcastAt >= interval - 1) broadcastState(hub, room, { by: "" });
    scheduleStateBroadcast(hub, room);
  }, interval);
}

export function broadcastState(hub: Hub, room: Room, opts: { by: string; exceptId?: string; ts?: number }): void {
  const now = hub.now();
  room.lastTimelineBroadcastAt = now;
  const t = room.timeline;
  hub.broadcast(
    room,
    "state_update",
    { position: positionAt(t, Math.max(now, t.anchor_server_ts)), play_state: t.play_state, timeline: { ...t } },
    { from: opts.by, ...(opts.exceptId ? { exceptId: opts.exceptId } : {}), ...(opts.ts ? { ts: opts.ts } : {}) },
  );
}
