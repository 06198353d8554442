/** ping, hello (identity and capabilities), resume (a dropped client takes its session back). */
import type { ClientPayloads } from "../../../protocol/index.js";
import { AuthError } from "../hub.js";
import { newSecret } from "../ids.js";
import { announceMemberChange, persist, roomStatePayload } from "../room-views.js";
import { type Handler, refuse } from "./context.js";
import { withinReplyBudget } from "./rooms.js";

export const ping: Handler<ClientPayloads["ping"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const rx = hub.receivedAt;
  hub.send(session, "pong", { client_ts: p.client_ts, server_rx_ts: rx, server_tx_ts: hub.now() }, session.roomId ?? "");
  return undefined;
};

export const hello: Handler<ClientPayloads["hello"]> = async (ctx, p) => {
  const { hub, session } = ctx;
  session.extended = true;
  if (p.token && hub.authenticator) {
    try {
      session.identity = await hub.authenticator(p.token);
    } catch (err) {
      if (err instanceof AuthError) refuse(err.code, err.message);
      throw err;
    }
    if (session.closed) return undefined;
  } else if (!session.identity) {
    refuse("auth_required");
  }
  const identityName = session.identity?.name;
  const name = identityName ?? p.display_name;
  if (name && name !== session.name) {
    session.name = name;
    const room = session.roomId ? hub.rooms.get(session.roomId) : undefined;
    if (room) {
      announceMemberChange(hub, room);
      persist(hub, room);
    }
  }
  if (p.token && !session.roomId) hub.send(session, "room_list", hub.roomList());
  return undefined;
};

export const resume: Handler<ClientPayloads["resume"]> = (ctx, p) => {
  const { hub, session } = ctx;
  const targetId = hub.resumeTokens.get(p.resume_token);
  const target = targetId ? hub.sessions.get(targetId) : undefined;
  if (!target || target === session || target.closed) refuse("resume_failed");
  if (session.roomId) refuse("resume_failed", "Resume right after connecting, before joining a room.");
  // A resume into a room is answered with the whole room, like a join: it draws on the same per-address budget.
  // Refused before anything changes, so the token stays valid for a retry after retry_after_ms (within the grace).
  const address = target.roomId ? withinReplyBudget(ctx) : null;
  // Retire the token: each resume hands out a fresh one.
  hub.resumeTokens.delete(target.resumeToken);
  target.resumeToken = newSecret();
  hub.resumeTokens.set(target.resumeToken, target.id);
  ctx.connection.rebind(target);
  hub.send(target, "resumed", { client_id: target.id, room: target.roomId, resume_token: target.resumeToken });
  const room = target.roomId ? hub.rooms.get(target.roomId) : undefined;
  if (room) {
    persist(hub, room); // the rotated token must survive a restart
    const sent = hub.send(target, "room_state", roomStatePayload(hub, room, target.id), room.id);
    if (address !== null) hub.replyBudget.charge(address, sent, hub.now());
    announceMemberChange(hub, room);
  } else {
    hub.send(target, "room_list", hub.roomList());
  }
  hub.log.info({ client: target.id, room: room?.id ?? null }, "session resumed");
  return undefined;
};
