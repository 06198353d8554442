/** Builders of the payloads that describe a room to its members. */
import { type ParticipantsUpdatePayload, type RoomStatePayload, standingPositionAt } from "../../protocol/index.js";
import type { Hub } from "./hub.js";
import type { Room } from "./room.js";
import { markDirty } from "./persistence.js";
import { currentLeadMs } from "./lead.js";

export function roomStatePayload(hub: Hub, room: Room, you: string): RoomStatePayload {
  const now = hub.now();
  const t = room.timeline;
  return {
    name: room.name,
    host_id: room.hostId,
    participant_count: room.members.size,
    state: {
      position: standingPositionAt(t, now),
      // A play scheduled a moment ahead already reads as playing, from its start position.
      play_state: t.play_state,
      rate: t.rate,
      server_ts: now,
    },
    timeline: { ...t },
    settings: { ...room.settings },
    participants: room.participants(hub.sessionInfo),
    chat: [...room.chat],
    media_id: room.media.id,
    media_url: room.media.url,
    media_title: room.media.title,
    waiting_for: room.waiting ? [...room.waiting.keys()] : [],
    lead_ms: currentLeadMs(hub, room),
    you,
  };
}

export function participantsPayload(hub: Hub, room: Room): ParticipantsUpdatePayload {
  return {
    participant_count: room.members.size,
    participants: room.participants(hub.sessionInfo),
    host_id: room.hostId,
    waiting_for: room.waiting ? [...room.waiting.keys()] : [],
  };
}

export function broadcastParticipants(hub: Hub, room: Room): void {
  hub.broadcast(room, "participants_update", participantsPayload(hub, room));
}

/** Shortest time between two participants_update a member's own changes cause, ms. */
export const MEMBER_CHANGE_COALESCE_MS = 250;

/**
 * A change to the member rows (a member's own ready, needs_click,
 * media_problem or name; a member joining, leaving, dropping into its
 * resume grace or resuming): told to the room at once, unless the last such
 * update is under MEMBER_CHANGE_COALESCE_MS old — then once when it is,
 * with the latest rows. One member joining and leaving in a loop sent the
 * whole list to every member twice per round (8.5 KB to each member of a
 * 30-member room per round, at 15 rounds a second). A member toggling a flag at the rate limit (30/s)
 * made the server send the whole list to every member per toggle: 117-byte
 * frames became 368 KiB/s to each of 49 members, enough to push members on
 * slow links past the slow-consumer limit (fuzzer's finding).
 */
export function announceMemberChange(hub: Hub, room: Room): void {
  if (room.memberChangeTimer !== null) return; // one is due and will carry this change too
  const wait = room.memberChangeAt + MEMBER_CHANGE_COALESCE_MS - hub.now();
  if (wait <= 0) {
    room.memberChangeAt = hub.now();
    broadcastParticipants(hub, room);
    return;
  }
  room.memberChangeTimer = hub.clock.setTimeout(() => {
    room.memberChangeTimer = null;
    if (hub.rooms.get(room.id) !== room) return;
    room.memberChangeAt = hub.now();
    broadcastParticipants(hub, room);
  }, wait);
}

/** The room changed in a way worth keeping across a restart. */
export function persist(hub: Hub, room: Room): void {
  markDirty(hub, room.id);
}
