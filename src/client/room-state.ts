/**
 * What a client knows about its room, kept current from server messages:
 * pure state transitions, no I/O.
 */
import type {
  ChatEntry,
  Participant,
  RoomSettings,
  RoomStatePayload,
  ServerMessage,
  Timeline,
} from "../protocol/index.js";

export interface RoomView {
  id: string;
  name: string;
  hostId: string;
  participants: Participant[];
  timeline: Timeline;
  /** The timeline in force before the latest scheduled change (until its anchor). */
  previousTimeline: Timeline | undefined;
  settings: RoomSettings;
  chat: ChatEntry[];
  mediaId: string | null;
  mediaUrl: string | null;
  mediaTitle: string | null;
  waitingFor: string[];
  leadMs: number;
}

export function roomFromState(id: string, p: RoomStatePayload): RoomView {
  return {
    id,
    name: p.name,
    hostId: p.host_id,
    participants: p.participants,
    timeline: p.timeline,
    previousTimeline: undefined,
    settings: p.settings,
    chat: p.chat,
    mediaId: p.media_id,
    mediaUrl: p.media_url,
    mediaTitle: p.media_title,
    waitingFor: p.waiting_for,
    leadMs: p.lead_ms,
  };
}

export type RoomChange = "participants" | "timeline" | "settings" | "chat" | "host" | "none";

/** Applies one message to the view; returns what changed. */
export function applyToRoom(room: RoomView, msg: ServerMessage, chatKeep = 200): RoomChange {
  switch (msg.type) {
    case "participants_update":
      room.participants = msg.payload.participants ?? room.participants;
      room.hostId = msg.payload.host_id ?? room.hostId;
      room.waitingFor = msg.payload.waiting_for ?? room.waitingFor;
      return "participants";
    case "player_event":
      return setTimeline(room, msg.payload.timeline);
    case "state_update":
      return setTimeline(room, msg.payload.timeline);
    case "host_changed":
      room.hostId = msg.payload.host_id;
      for (const p of room.participants) p.is_host = p.id === room.hostId;
      return "host";
    case "room_settings": {
      const { name, media_id, media_url, media_title, ...settings } = msg.payload;
      room.settings = settings;
      room.name = name;
      room.mediaId = media_id;
      room.mediaUrl = media_url;
      room.mediaTitle = media_title;
      return "settings";
    }
    case "chat_message":
      room.chat.push(msg.payload);
      if (room.chat.length > chatKeep) room.chat.splice(0, room.chat.length - chatKeep);
      return "chat";
    default:
      return "none";
  }
}

export function setTimeline(room: RoomView, next: Timeline | undefined): RoomChange {
  if (!next) return "none";
  const cur = room.timeline;
  if (
    cur.position === next.position &&
    cur.play_state === next.play_state &&
    cur.rate === next.rate &&
    cur.anchor_server_ts === next.anchor_server_ts &&
    cur.duration === next.duration
  ) {
    return "none";
  }
  room.previousTimeline = cur;
  room.timeline = next;
  return "timeline";
}
