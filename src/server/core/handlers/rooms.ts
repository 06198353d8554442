/** list_rooms, create_room, join_room, leave_room, and the page's room_info and leaving. */
import type { ClientPayloads } from "../../../protocol/index.js";
import { addToRoom, removeFromRoom } from "../membership.js";
import { newRoomId } from "../ids.js";
import { Room } from "../room.js";
import { hashRoomPassword, passwordMatches } from "../room-password.js";
import { freeGhostSeat, mayHoldAnotherRoom, noteRoomCreated } from "../room-limits.js";
import { persist } from "../room-views.js";
import { type Handler, type HandlerContext, Refusal, refuse, requireIdentity } from "./context.js";

export const listRooms: Handler<ClientPayloads["list_rooms"]> = (ctx) => {
  const { hub, session } = ctx;
  requireIdentity(ctx);
  const address = withinReplyBudget(ctx);
  hub.replyBudget.charge(address, hub.send(session, "room_list", hub.roomList()), hub.now());
  return undefined;
};

/** The session's address, once its budget for large answers (reply-budget.ts) allows one more; else rate_limited. */
export function withinReplyBudget(ctx: HandlerContext): string {
  const { hub, session } = ctx;
  const address = session.ip ?? session.id;
  const waitMs = hub.replyBudget.waitMs(address, hub.now());
  if (waitMs > 0) {
    throw new Refusal("rate_limited", `Your address joined or resumed into rooms, or asked for the room list, too often; try again in ${Math.ceil(waitMs / 1000)} s.`, {
      retry_after_ms: waitMs,
    });
  }
  return address;
}

export const createRoom: Handler<ClientPayloads["create_room"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const identity = requireIdentity(ctx);
  if (!identity.canCreate) refuse("forbidden", "Your account may join watch parties but not create them.");
  if (hub.rooms.size >= hub.config.maxRooms) refuse("too_many_rooms");
  if (!mayHoldAnotherRoom(hub, session)) {
    // Rooms whose members all dropped are held for the resume grace: leaving cannot free those, only time.
    const graceS = Math.ceil(hub.config.resumeGraceMs / 1000);
    refuse(
      "too_many_rooms_held",
      `Your address already holds ${hub.config.maxRoomsPerIp} open rooms, the most allowed. Leave one you are in, or wait: ` +
        `a room whose members all disconnected still counts until its ${graceS} s resume grace ends.`,
    );
  }
  if (p.display_name && !identity.name) session.name = p.display_name;
  let id = ctx.newRoomId ?? newRoomId();
  while (hub.rooms.has(id)) id = newRoomId();
  const now = hub.now();
  const room = new Room(
    id,
    p.name,
    session.id,
    p.start_pos,
    now,
    {
      shared_control: p.settings?.shared_control ?? false,
      buffering_policy: p.settings?.buffering_policy ?? "wait",
      wait_timeout_ms: p.settings?.wait_timeout_ms ?? hub.config.defaultWaitTimeoutMs,
    },
    { url: p.media_url ?? null, id: p.media_id ?? null, title: p.media_title ?? null },
    p.private ?? false,
    now,
  );
  if (p.password) room.passwordHash = hashRoomPassword(id, p.password);
  hub.rooms.set(id, room);
  noteRoomCreated(hub, room, session);
  hub.log.info({ room: id, client: session.id }, "room created");
  addToRoom(hub, session, room);
  persist(hub, room);
  return undefined;
};

export const joinRoom: Handler<ClientPayloads["join_room"]> = (ctx, p) => {
  const { hub, session, envelope } = ctx;
  const identity = requireIdentity(ctx);
  if (!identity.canJoin) refuse("forbidden", "Your account may not join watch parties.");
  const roomId = envelope.room ?? "";
  if (!roomId) refuse("invalid_payload", "join_room needs the room id in the envelope's `room` field.");
  const room = hub.rooms.get(roomId);
  if (!room) refuse("room_not_found", `No room with id ${roomId}.`);
  const address = withinReplyBudget(ctx);
  const already = room.members.has(session.id);
  if (!already && room.passwordHash !== null) {
    if (!p?.password) refuse("password_required");
    const now = hub.now();
    const waitMs = hub.passwordGuesses.waitMs(address, now);
    if (waitMs > 0) {
      throw new Refusal("rate_limited", `Too many wrong passwords; try again in ${Math.ceil(waitMs / 1000)} s.`, { retry_after_ms: waitMs });
    }
    if (!passwordMatches(room.id, room.passwordHash, p.password)) {
      hub.passwordGuesses.wrong(address, now);
      refuse("wrong_password");
    }
  }
  if (!already && room.members.size >= hub.config.maxMembersPerRoom && !freeGhostSeat(hub, room)) refuse("room_full");
  if (p?.display_name && !identity.name) session.name = p.display_name;
  hub.replyBudget.charge(address, addToRoom(hub, session, room), hub.now());
  return undefined;
};

export const leaveRoom: Handler<ClientPayloads["leave_room"]> = (ctx) => {
  const { hub, session, envelope } = ctx;
  if (!session.roomId) refuse("not_in_room");
  if (envelope.room && envelope.room !== session.roomId) refuse("wrong_room");
  removeFromRoom(hub, session, "left");
  hub.send(session, "room_list", hub.roomList());
  return undefined;
};

/** What an invite page shows before asking for a name: the room's name, host and title, or `room_not_found`. */
export const roomInfo: Handler<ClientPayloads["room_info"]> = (ctx) => {
  const { hub, session, envelope } = ctx;
  requireIdentity(ctx);
  const room = envelope.room ? hub.rooms.get(envelope.room) : undefined;
  if (!room) refuse("room_not_found", `No room with id ${envelope.room ?? ""}.`);
  hub.send(
    session,
    "room_info",
    {
      id: room.id,
      name: room.name,
      host_name: hub.sessionInfo(room.hostId).name,
      media_title: room.media.title,
      count: room.members.size,
      password: room.passwordHash !== null,
    },
    room.id,
  );
  return undefined;
};

/**
 * The page is going away (tab closing or reloading): when its socket closes,
 * its seat is kept for `leavingGraceMs` instead of the full resume grace.
 */
export const leaving: Handler<ClientPayloads["leaving"]> = (ctx) => {
  ctx.session.leaving = true;
  return undefined;
};
