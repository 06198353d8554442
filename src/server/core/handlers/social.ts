/** chat_message, ready, transfer_host, room_settings, sync_report. */
import type { ClientPayloads, RoomSettingsOutPayload } from "../../../protocol/index.js";
import { setMemberReady } from "../buffering.js";
import { newChatId } from "../ids.js";
import { setHost } from "../membership.js";
import type { Room } from "../room.js";
import { announceMemberChange, broadcastParticipants, participantsPayload, persist } from "../room-views.js";
import { type Handler, refuse, requireHost, requireRoom } from "./context.js";

export const chatMessage: Handler<ClientPayloads["chat_message"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const room = requireRoom(ctx);
  // A resend of a line the room already took (its ack was lost with the connection): ack it again, show it once.
  if (p.nonce !== undefined && room.tookChat(session.id, p.nonce)) return undefined;
  const entry = {
    id: newChatId(),
    client_id: session.id,
    name: session.name,
    text: p.text,
    server_ts: hub.now(),
    ...(p.nonce !== undefined ? { nonce: p.nonce } : {}),
  };
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
  const newMedia = (p.media_url !== undefined && p.media_url !== room.media.url) || (p.media_id !== undefined && p.media_id !== room.media.id);
  if (p.shared_control !== undefined) room.settings.shared_control = p.shared_control;
  if (p.buffering_policy !== undefined) room.settings.buffering_policy = p.buffering_policy;
  if (p.wait_timeout_ms !== undefined) room.settings.wait_timeout_ms = p.wait_timeout_ms;
  if (p.name !== undefined) room.name = p.name;
  // Another video (a new media_url, or a new Jellyfin item id): its duration is not the old one's (its first player reports it).
  if (newMedia) room.setMediaDuration(null, hub.now());
  // A new item without a URL (Jellyfin's next episode) or a new URL without an item: the other one named the old media.
  if (newMedia && p.media_url === undefined) room.media.url = null;
  if (newMedia && p.media_id === undefined) room.media.id = null;
  if (p.media_url !== undefined) room.media.url = p.media_url;
  if (p.media_id !== undefined) room.media.id = p.media_id;
  if (p.media_title !== undefined) room.media.title = p.media_title;
  hub.broadcast(room, "room_settings", settingsPayload(room), { from: ctx.session.id });
  if (newMedia || p.start_pos !== undefined) startMedia(ctx, room, p.start_pos ?? 0, newMedia);
  persist(hub, room);
  if (renamed || p.media_title !== undefined) hub.scheduleLobbyPush(room.id);
  return undefined;
};

/**
 * New media starts paused at `position` (default 0) for everyone, not at the
 * old media's position. The line takes effect at once (no lead): every
 * player is loading the new media anyway, and a line scheduled ahead would
 * let the old media's playing line "hold" until then and carry its position
 * into the new media.
 */
function startMedia(ctx: Parameters<Handler<unknown>>[0], room: Room, position: number, newMedia: boolean): void {
  const { hub, session } = ctx;
  const now = hub.now();
  const timeline = { position, play_state: "paused" as const, rate: room.timeline.rate, anchor_server_ts: now };
  room.timeline = timeline;
  room.lastTimelineBroadcastAt = now;
  for (const m of room.members.values()) {
    m.needsClick = false;
    if (newMedia) m.mediaProblem = false; // the new media may well load
  }
  hub.broadcast(
    room,
    "player_event",
    // reason "media": a media change, not someone pausing (feeds say "changed the media", not "paused at").
    { action: "pause", position, target_server_ts: now, timeline: { ...timeline }, by: session.id, reason: newMedia ? "media" : "user" },
    { from: session.id },
  );
}

/** Members' own measurements; re-broadcast to the room at most once per telemetry interval. */
export const syncReport: Handler<ClientPayloads["sync_report"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const room = requireRoom(ctx);
  const member = room.members.get(session.id);
  if (!member) refuse("not_in_room");
  if (p.media_problem !== undefined || member.mediaProblem) {
    // A report about the media's state carries no offset to record (nor to count in the sync-quality metrics):
    // the member has no media playing (or is only starting it again, so its row reads "measuring…" until a real report).
    if (p.media_problem !== undefined && p.media_problem !== member.mediaProblem) {
      member.mediaProblem = p.media_problem;
      member.sync = null;
      announceMemberChange(hub, room); // a state change: the host sees "media problem" at once (coalesced when toggled)
    }
    return undefined;
  }
  member.sync = { offset_ms: Math.round(p.offset_ms), rtt_ms: Math.round(p.rtt_ms), at_server_ts: hub.now() };
  if (p.seek_latency_ms !== undefined) member.seekLatencyMs = p.seek_latency_ms;
  if (p.needs_click !== undefined && p.needs_click !== member.needsClick) {
    member.needsClick = p.needs_click;
    announceMemberChange(hub, room); // a state change, not telemetry: tell the room now (coalesced when toggled)
  }
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
