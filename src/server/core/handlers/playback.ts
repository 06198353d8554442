/** player_event and state_update: the only ways the room's timeline changes on request. */
import { type ClientPayloads, positionAt } from "../../../protocol/index.js";
import { clearWaits } from "../buffering.js";
import type { Room } from "../room.js";
import { applyCommand, armMediaEnd, relayState, scheduleStateBroadcast } from "../timeline-commands.js";
import { persist } from "../room-views.js";
import { type Handler, type HandlerContext, refuse, requireRoom } from "./context.js";

/**
 * Who may play, pause and seek: the host; everyone with shared control; and
 * everyone while the host is away (its connection dropped and it has not
 * resumed yet: up to the resume grace), so a party whose host lost its
 * network can still pause.
 */
function requireControl(ctx: HandlerContext, room: Room): void {
  if (room.hostId !== ctx.session.id && !room.settings.shared_control && ctx.hub.isConnected(room.hostId)) {
    refuse("not_host", "Only the host controls playback in this room.");
  }
}

export const playerEvent: Handler<ClientPayloads["player_event"]> = (ctx, p) => {
  const room = requireRoom(ctx);
  requireControl(ctx, room);
  clearWaits(ctx.hub, room);
  const out = applyCommand(ctx.hub, room, {
    action: p.action,
    position: p.position,
    rate: p.rate,
    by: ctx.session.id,
    ts: ctx.envelope.ts ?? undefined,
    exceptId: ctx.session.id,
  });
  return { target_server_ts: out.target_server_ts, timeline: out.timeline };
};

/**
 * The host's report (seed: "updates server state and broadcasts to
 * others"). It is the room's state: the host's latest word wins, also over
 * a command still waiting for its instant. A report that agrees with the
 * room's line (same play state and rate, within the tolerance) does not
 * re-anchor it, so the report's own network delay does not jolt everyone
 * every few seconds. Relayed as sent: the host's position and play state,
 * plus the room's timeline for SDK clients.
 */
export const stateUpdate: Handler<ClientPayloads["state_update"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const room = requireRoom(ctx);
  if (room.hostId !== session.id) refuse("not_host", "Only the host reports the room's state.");
  const now = hub.now();
  const cur = room.timeline;
  const rate = p.rate ?? cur.rate;
  const drift = Math.abs(positionAt(cur, now) - p.position);
  const pending = now < cur.anchor_server_ts;
  if (pending || p.play_state !== cur.play_state || rate !== cur.rate || drift > hub.config.stateUpdateToleranceSeconds) {
    if (pending) clearWaits(hub, room);
    room.timeline = { position: p.position, play_state: p.play_state, rate, anchor_server_ts: now };
    persist(hub, room);
  }
  relayState(hub, room, { position: p.position, play_state: p.play_state }, session.id, ctx.envelope.ts ?? undefined);
  scheduleStateBroadcast(hub, room);
  armMediaEnd(hub, room);
  // Hosts report every second, mostly without an id: the ack's copy of the timeline only when an ack goes out.
  return ctx.envelope.id === undefined ? undefined : { timeline: { ...room.timeline } };
};
