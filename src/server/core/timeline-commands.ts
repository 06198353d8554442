/**
 * Changing a room's timeline: every change is scheduled at
 * `target_server_ts` (now + lead, except a person's pause: now; see
 * `nextTimeline`), becomes the room's timeline, and is
 * fanned out to the members as `player_event`. The sender learns the same
 * instant from its `ack` (only clients that send an `id` get one), so the
 * seed's "relayed to the other members" still holds.
 */
import { type PlayerAction, type PlayerEventOutPayload, type Timeline, positionAt, standingPositionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import { currentLeadMs } from "./lead.js";
import { scheduleMediaEnd } from "./media-end.js";
import type { Room } from "./room.js";
import { persist } from "./room-views.js";

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

/**
 * How far from a pending line's start (a command whose instant has not come)
 * a player can be that already shows it, s: a seed client acts on its own
 * command at once, so it is up to a lead (< 1 s) into it. A pause farther away
 * than this was made on the line before.
 */
const PENDING_LINE_REACH_S = 1;

/** A `player_event` that only changes the rate: the action repeats the room's state and `rate` differs. */
export function isRateChange(cur: Timeline, cmd: Pick<CommandInput, "action" | "rate">): boolean {
  if (cmd.rate === undefined || cmd.rate === cur.rate) return false;
  return (cmd.action === "play" && cur.play_state === "playing") || (cmd.action === "pause" && cur.play_state === "paused");
}

/**
 * The timeline after `cmd` given the current one. Pure. Play and seek take
 * effect at `target` (everyone starts or jumps together). A person's pause
 * takes effect at once (`now`) at the position the pauser reported — the
 * frame they paused on; the others go back to it — unless a seek is still
 * waiting for its instant and the pauser is far from where it goes
 * (PENDING_LINE_REACH_S): then where the seek goes (the pauser could not have
 * seen it; a pause and a seek at the same moment end paused where the seek
 * went, not with the seek lost). A server pause
 * (buffering, `by: "server"`) freezes where the timeline is at `target`, so
 * nobody has to seek; the end's pause (`reason: "ended"`) at most at its `position`. A rate change (see `isRateChange`) continues the line
 * from where it is now, at the new rate, at once.
 */
export function nextTimeline(
  cur: Timeline,
  cmd: Pick<CommandInput, "action" | "position" | "rate"> & { by?: string; reason?: CommandInput["reason"] },
  now: number,
  target: number,
): Timeline {
  const rate = cmd.rate ?? cur.rate;
  if (isRateChange(cur, cmd)) {
    // At once: the sender already plays at the new rate; the others are a one-way delay late, (rate − 1) × that.
    // A line whose start is still ahead (a play or seek waiting for its instant) keeps that start: read back to `now`
    // it would stand lead × rate before its own position, and the whole room would jump back.
    const at = Math.max(now, cur.anchor_server_ts);
    return { position: positionAt(cur, at), play_state: cur.play_state, rate, anchor_server_ts: at };
  }
  switch (cmd.action) {
    case "play":
      return { position: cmd.position, play_state: "playing", rate, anchor_server_ts: target };
    case "pause":
      if (cmd.by === "server" && cur.play_state === "playing") {
        // The end (reason "ended") is never passed: the media's duration, or maxPositionSeconds when none is known.
        const at = standingPositionAt(cur, target);
        const position = cmd.reason === "ended" ? Math.min(at, cmd.position) : at;
        return { position, play_state: "paused", rate, anchor_server_ts: target };
      }
      // A seek whose instant has not come yet, and a pauser far from where it goes: the pauser's frame is from the line
      // before it. Pausing there would silently undo the seek; the room pauses where the seek goes instead.
      if (cur.anchor_server_ts > now && Math.abs(cmd.position - cur.position) > PENDING_LINE_REACH_S) {
        return { position: cur.position, play_state: "paused", rate, anchor_server_ts: now };
      }
      return { position: cmd.position, play_state: "paused", rate, anchor_server_ts: now };
    case "seek":
      return { position: cmd.position, play_state: cur.play_state, rate, anchor_server_ts: target };
  }
}

/** Applies a command to the room and fans it out. Returns what the sender's ack carries. */
export function applyCommand(hub: Hub, room: Room, cmd: CommandInput): PlayerEventOutPayload {
  const now = hub.now();
  const rateChange = isRateChange(room.timeline, cmd);
  room.timeline = nextTimeline(room.timeline, cmd, now, now + currentLeadMs(hub, room));
  const timeline = room.timeline; // clamped to the media's duration by the room
  room.lastTimelineBroadcastAt = now;
  const payload: PlayerEventOutPayload = {
    action: cmd.action,
    position: timeline.position,
    target_server_ts: timeline.anchor_server_ts,
    timeline,
    by: cmd.by,
    reason: cmd.reason ?? (rateChange ? "rate" : "user"),
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

/**
 * A room that comes back (restored at start, or taken over in a cluster)
 * with its timeline already set: the timers a command would have armed —
 * the periodic state_update while it plays, and the pause at the media's end.
 */
export function armRestoredTimeline(hub: Hub, room: Room): void {
  scheduleStateBroadcast(hub, room);
  armMediaEnd(hub, room);
}

/** After any change of the room's timeline: pause the room at the media's end (or maxPositionSeconds) when it gets there (media-end.ts). */
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
    // Serialized before this returns: the timeline itself, no copy.
    { position: standingPositionAt(t, now), play_state: t.play_state, timeline: t },
    { from: opts.by, exceptId: opts.exceptId, ts: opts.ts || undefined },
  );
}

/** Relays a host's `state_update` as sent (its position and play state), with the room's timeline. */
export function relayState(
  hub: Hub,
  room: Room,
  sent: { position: number; play_state: Timeline["play_state"] },
  by: string,
  ts: number | undefined,
): void {
  room.lastTimelineBroadcastAt = hub.now();
  hub.broadcast(
    room,
    "state_update",
    // Hosts report every second: the frame is serialized before this returns, so the timeline goes as is (no copy).
    { position: sent.position, play_state: sent.play_state, timeline: room.timeline },
    { from: by, exceptId: by, ts: ts || undefined },
  );
}
