/**
 * What the bus brings to this instance (bus.ts names the messages): frames
 * for sessions living here (`in`), frames for sockets here (`out`, written
 * with this instance's slow-consumer limits), closes both ways, sessions
 * moving in (`adopt`), failover binds, and the home changes of sockets here.
 */
import { CloseCodes, type ServerType } from "../../protocol/index.js";
import { TokenBucket } from "../core/rate-limiter.js";
import { roomStatePayload } from "../core/room-views.js";
import { Session } from "../core/session.js";
import type { BusMessage } from "./bus.js";
import { rehome } from "./failover.js";
import { type ClusterRouter, rk } from "./router.js";

function frameType(frame: string): ServerType {
  // encode() writes `{"type":"<type>",…` first.
  return frame.slice(9, frame.indexOf('"', 9)) as ServerType;
}

export function receiveBusMessage(r: ClusterRouter, msg: BusMessage): void {
  switch (msg.t) {
    case "in": {
      const conn = r.remote.get(rk(msg.g, msg.c));
      if (conn) return conn.receiveForwarded(msg.d, msg.at);
      const next = r.moved.get(rk(msg.g, msg.c));
      if (next) return r.d.bus.publish(next, msg);
      // This instance no longer has the session (it restarted, or dropped the room): the gateway finds its home again.
      return r.d.bus.publish(msg.g, { t: "rehome", c: msg.c, h: r.d.id });
    }
    case "out":
      return deliver(r, msg.b);
    case "rtt":
      r.remote.get(rk(msg.g, msg.c))?.rttSample(msg.ms);
      return;
    case "closed": {
      const conn = r.remote.get(rk(msg.g, msg.c));
      if (conn) {
        r.remote.delete(rk(msg.g, msg.c));
        return conn.closed();
      }
      const next = r.moved.get(rk(msg.g, msg.c));
      if (next) {
        r.moved.delete(rk(msg.g, msg.c));
        r.d.bus.publish(next, msg);
      }
      return;
    }
    case "close": {
      const conn = r.links.get(msg.c);
      if (conn) r.hub.closeSocket(conn.socketLike, msg.code, msg.reason);
      return;
    }
    case "adopt":
      return adopt(r, msg);
    case "bind":
      return bind(r, msg);
    case "homed": {
      const conn = r.links.get(msg.c);
      if (!conn?.remote) return;
      const link = r.linkFor(conn, msg.home);
      link.client = msg.client;
      return;
    }
    case "resync": {
      const conn = r.remote.get(rk(msg.g, msg.c));
      const s = conn?.session;
      const room = s?.roomId ? r.hub.rooms.get(s.roomId) : undefined;
      if (s && room) r.hub.send(s, "room_state", roomStatePayload(r.hub, room, s.id), room.id);
      return;
    }
    case "rehome": {
      // Only from the socket's current home: an instance that lost the room after the socket moved on is old news.
      const link = r.gatewayLinks.get(msg.c);
      if (link && link.home === msg.h) void rehome(r, link);
      return;
    }
  }
}

/** Frames from homes elsewhere for sockets here. Slow-consumer limits apply here, on the real socket. */
function deliver(r: ClusterRouter, batch: Array<[string, string[]]>): void {
  for (const [frame, keys] of batch) {
    const type = frameType(frame);
    const sniff = type === "room_state" || type === "room_list" || type === "room_closed" || type === "resumed";
    for (const key of keys) {
      const conn = r.links.get(key);
      if (!conn) continue;
      if (sniff) note(r, key, type, frame);
      r.hub.sendRaw(conn.session, frame, type);
    }
  }
}

/** What a gateway learns from frames about its socket's session: which member it is and its room (for failover and pong). */
function note(r: ClusterRouter, key: string, type: ServerType, frame: string): void {
  const link = r.gatewayLinks.get(key);
  if (!link) return;
  if (type === "room_list" || type === "room_closed") {
    link.room = null;
    return;
  }
  const f = JSON.parse(frame) as { room: string; payload: { you?: string; client_id?: string; room?: string | null } };
  if (type === "room_state") {
    link.room = f.room;
    if (f.payload.you) link.client = f.payload.you;
  } else {
    if (f.payload.client_id) link.client = f.payload.client_id;
    link.room = f.payload.room ?? null;
  }
}

function adopt(r: ClusterRouter, msg: Extract<BusMessage, { t: "adopt" }>): void {
  const { hub } = r;
  const snap = msg.s;
  const session = new Session(
    snap.id,
    null,
    snap.resumeToken,
    snap.identity,
    new TokenBucket(hub.config.maxMessagesPerSecond, hub.config.messageBurst, hub.now()),
  );
  session.name = snap.name;
  session.extended = snap.extended;
  session.ip = snap.ip;
  session.leaving = snap.leaving;
  const conn = r.attach(msg.g, msg.c, session);
  if (!conn) return;
  hub.sessions.set(session.id, session);
  hub.resumeTokens.set(session.resumeToken, session.id);
  conn.receiveForwarded(msg.d, msg.at);
}

/** Failover: the socket takes over member `client` of `room`, restored here, with its token unchanged. */
function bind(r: ClusterRouter, msg: Extract<BusMessage, { t: "bind" }>): void {
  const target = r.hub.sessions.get(msg.client);
  if (!target || target.closed || target.roomId !== msg.room) {
    if (msg.g === r.d.id) {
      const conn = r.links.get(msg.c);
      if (conn) r.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "session not found after failover");
    } else {
      r.d.bus.publish(msg.g, { t: "close", c: msg.c, code: CloseCodes.GOING_AWAY, reason: "session not found after failover" });
    }
    return;
  }
  r.bindSession(msg.g, msg.c, target);
}
