/** chat_message, ready, transfer_host, room_settings, sync_report. */
import type { ClientPayloads, RoomSettingsOutPayload } from "../../../protocol/index.js";
import { setMemberReady } from "../buffering.js";
import { newChatId } from "../ids.js";
import { setHost } from "../membership.js";
import type { Room } from "../room.js";
import { broadcastParticipants, participantsPayload, persist } from "../room-views.js";
import { type Handler, refuse, requireHost, requireRoom } from "./context.js";

export const chatMessage: Handler<ClientPayloads["chat_message"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const room = requireRoom(ctx);
  const entry = { id: newChatId(), client_id: session.id, name: session.name, text: p.text, server_ts: hub.now() };
  room.pushChat(entry, hub.config.chatHistoryLength);
  hub.broadcast(room, "chat_message", entry, { from: session.id });
  persist(hub, room);
  return undefined;
};

export const ready: Handler<ClientPayloads["ready"]> = (ctx, p) => {
  const room = requireRoom(ctx);
  setMemberReady(ctx.hub, room, ctx.session.id, p.ready);
  return undefined;
};

export const transferHost: Handler<ClientPayloads["transfer_host"]> = (ctx, p) => {
  const { hub } = ctx;
  const room = requireRoom(ctx);
  requireHost(ctx, room);
  if (!room.members.has(p.client_id)) refuse("not_a_member");
  if (!hub.isConnected(p.client_id)) refuse("not_a_member", "That member is reconnecting; try again when it is back.");
  setHost(hub, room, p.client_id, "transfer");
  broadcastParticipants(hub, room);
  return undefined;
};

export function settingsPayload(room: Room): RoomSettingsOutPayload {
  return {
    ...room.settings,
    name: room.name,
    media_url: room.media.url,
    media_id: room.media.id,
    media_title: room.media.title,
  };
}

export const roomSettings: Handler<ClientPayloads["room_settings"]> = (ctx, p) => {
  const { hub } = ctx;
  const room = requireRoom(ctx);
  requireHost(ctx, room);
  const renamed = p.name !== undefined && p.name !== room.name;
  if (p.shared_control !== undefined) room.settings.shared_control = p.shared_control;
  if (p.buffering_policy !== undefined) room.settings.buffering_policy = p.buffering_policy;
  if (p.wait_timeout_ms !== undefined) room.settings.wait_timeout_ms = p.wait_timeout_ms;
  if (p.name !== undefined) room.name = p.name;
  if (p.media_url !== undefined) room.media.url = p.media_url;
  if (p.media_id !== undefined) room.media.id = p.media_id;
  if (p.media_title !== undefined) room.media.title = p.media_title;
  hub.broadcast(room, "room_settings", settingsPayload(room), { from: ctx.session.id });
  persist(hub, room);
  if (renamed || p.media_title !== undefined) hub.scheduleLobbyPush();
  return undefined;
};

/** Members' own measurements; re-broadcast to the room at most once per telemetry interval. */
export const syncReport: Handler<ClientPayloads["sync_report"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const room = requireRoom(ctx);
  const member = room.members.get(session.id);
  if (!member) refuse("not_in_room");
  member.sync = { offset_ms: Math.round(p.offset_ms), rtt_ms: Math.round(p.rtt_ms), at_server_ts: hub.now() };
  if (p.seek_latency_ms !== undefined) member.seekLatencyMs = p.seek_latency_ms;
  session.rttMs = p.rtt_ms;
  hub.observer.syncReport({
    sessionId: session.id,
    roomId: room.id,
    offsetMs: p.offset_ms,
    atMs: hub.now(),
    ...(p.stalls !== undefined ? { stalls: p.stalls } : {}),
    ...(p.corrective_seeks !== undefined ? { correctiveSeeks: p.corrective_seeks } : {}),
  });
  if (room.telemetryTimer === null) {
    room.telemetryTimer = hub.clock.setTimeout(() => {
      room.telemetryTimer = null;
      if (hub.rooms.get(room.id) === room) hub.broadcast(room, "participants_update", participantsPayload(hub, room));
    }, hub.config.telemetryBroadcastIntervalMs);
  }
  return undefined;
};
