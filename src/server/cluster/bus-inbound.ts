/**
 * What the bus brings to this instance (bus.ts names the messages): frames
 * for sessions living here (`in`), frames for sockets here (`out`, written
 * with this instance's slow-consumer limits), closes both ways, sessions
 * moving in (`adopt`), failover binds, and the home changes of sockets here.
 * A forwarded frame that Redis held too long is refused, not applied
 * (STALE_FORWARD_MS).
 * It works on the socket and session tables (session-placement.ts); a
 * socket whose home dropped its room is handed to failover, which
 * cluster.ts hands it (this module imports no failover code).
 */
import { CloseCodes, type ServerType } from "../../protocol/index.js";
import { TokenBucket } from "../core/rate-limiter.js";
import { roomStatePayload } from "../core/room-views.js";
import { Session } from "../core/session.js";
import type { Bus, BusMessage } from "./bus.js";
import type { Failover } from "./failover.js";
import { REDIS_COMMAND_TIMEOUT_MS } from "./redis-link.js";
import { rk, type SessionPlacement } from "./session-placement.js";

/**
 * A frame forwarded by a gateway that arrives this long after it was
 * published (cluster time, ms; bus.ts `s`) is refused `cluster_unavailable`, not applied: Redis held it
 * (frozen, stalled) and the gateway has told, or is about to tell, its
 * sender so once its publish went unanswered for REDIS_COMMAND_TIMEOUT_MS.
 * Applied now, a seek made a minute ago would move everyone back to it.
 * Below the command timeout, so one frame is not both refused there and
 * applied here; far above a forward's usual few ms.
 */
export const STALE_FORWARD_MS = (REDIS_COMMAND_TIMEOUT_MS * 3) / 4;

function frameType(frame: string): ServerType {
  // encode() writes `{"type":"<type>",…` first.
  return frame.slice(9, frame.indexOf('"', 9)) as ServerType;
}

export interface BusInboundDeps {
  id: string;
  bus: Bus;
  placement: SessionPlacement;
  /** `retry_after_ms` of a `cluster_unavailable` refusal, ms. */
  retryAfterMs: number;
  /** Failover (failover.ts), handed over by cluster.ts: a socket here whose home dropped its room finds the room's owner. */
  failover: Pick<Failover, "rehome">;
}

export class BusInbound {
  constructor(private readonly d: BusInboundDeps) {}

  /** One message on this instance's channel (`to:<id>`), parsed by cluster.ts. */
  receive(msg: BusMessage): void {
    const { placement } = this.d;
    const { hub } = placement;
    switch (msg.t) {
      case "in": {
        const conn = placement.remote.get(rk(msg.g, msg.c));
        if (conn && msg.s !== undefined && hub.now() - msg.s > STALE_FORWARD_MS) {
          return conn.refuseForwarded(msg.d, "cluster_unavailable", { retry_after_ms: this.d.retryAfterMs });
        }
        if (conn) return conn.receiveForwarded(msg.d, msg.at);
        const next = placement.moved.get(rk(msg.g, msg.c));
        if (next) return this.d.bus.publish(next, msg);
        // This instance no longer has the session (it restarted, or dropped the room): the gateway finds its home again.
        return this.d.bus.publish(msg.g, { t: "rehome", c: msg.c, h: this.d.id });
      }
      case "out":
        return this.deliver(msg.b);
      case "rtt":
        placement.remote.get(rk(msg.g, msg.c))?.rttSample(msg.ms);
        return;
      case "closed": {
        const conn = placement.remote.get(rk(msg.g, msg.c));
        if (conn) {
          placement.remote.delete(rk(msg.g, msg.c));
          return conn.closed();
        }
        const next = placement.moved.get(rk(msg.g, msg.c));
        if (next) {
          placement.moved.delete(rk(msg.g, msg.c));
          this.d.bus.publish(next, msg);
        }
        return;
      }
      case "close": {
        const conn = placement.links.get(msg.c);
        if (conn) hub.closeSocket(conn.socketLike, msg.code, msg.reason);
        return;
      }
      case "adopt":
        return this.adopt(msg);
      case "bind":
        return this.bind(msg);
      case "homed": {
        const conn = placement.links.get(msg.c);
        if (!conn?.remote) return;
        const link = placement.linkFor(conn, msg.home);
        link.client = msg.client;
        return;
      }
      case "resync": {
        const conn = placement.remote.get(rk(msg.g, msg.c));
        const s = conn?.session;
        const room = s?.roomId ? hub.rooms.get(s.roomId) : undefined;
        if (s && room) hub.send(s, "room_state", roomStatePayload(hub, room, s.id), room.id);
        return;
      }
      case "rehome": {
        // Only from the socket's current home: an instance that lost the room after the socket moved on is old news.
        const link = placement.gatewayLinks.get(msg.c);
        if (link && link.home === msg.h) void this.d.failover.rehome(link);
        return;
      }
    }
  }

  /** Frames from homes elsewhere for sockets here. Slow-consumer limits apply here, on the real socket. */
  private deliver(batch: Array<[string, string[]]>): void {
    const { placement } = this.d;
    const { hub } = placement;
    for (const [frame, keys] of batch) {
      const type = frameType(frame);
      const sniff = type === "room_state" || type === "room_list" || type === "room_closed" || type === "resumed";
      for (const key of keys) {
        const conn = placement.links.get(key);
        if (!conn) continue;
        if (sniff) this.note(key, type, frame);
        hub.sendRaw(conn.session, frame, type);
      }
    }
  }

  /** What a gateway learns from frames about its socket's session: which member it is and its room (for failover and pong). */
  private note(key: string, type: ServerType, frame: string): void {
    const { placement } = this.d;
    const link = placement.gatewayLinks.get(key);
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

  private adopt(msg: Extract<BusMessage, { t: "adopt" }>): void {
    const { placement } = this.d;
    const { hub } = placement;
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
    const conn = placement.attach(msg.g, msg.c, session);
    if (!conn) return;
    hub.sessions.set(session.id, session);
    hub.resumeTokens.set(session.resumeToken, session.id);
    conn.receiveForwarded(msg.d, msg.at);
  }

  /** Failover: the socket takes over member `client` of `room`, restored here, with its token unchanged. */
  private bind(msg: Extract<BusMessage, { t: "bind" }>): void {
    const { placement } = this.d;
    const { hub } = placement;
    const target = hub.sessions.get(msg.client);
    if (!target || target.closed || target.roomId !== msg.room) {
      if (msg.g === this.d.id) {
        const conn = placement.links.get(msg.c);
        if (conn) hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "session not found after failover");
      } else {
        this.d.bus.publish(msg.g, { t: "close", c: msg.c, code: CloseCodes.GOING_AWAY, reason: "session not found after failover" });
      }
      return;
    }
    placement.bindSession(msg.g, msg.c, target);
  }
}
