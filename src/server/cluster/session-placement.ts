/**
 * Which socket serves which session, across instances: this instance's
 * sockets, those of them whose session lives elsewhere (GatewayLink), the
 * sessions living here whose socket is on another instance (RemoteSocket),
 * and the forwarding addresses of sessions that moved on. Failover and
 * fenced-out rooms re-home sockets with `bindSession` (the member restored
 * at the new owner takes the socket, without a new token). The router
 * (router.ts), the bus (bus-inbound.ts) and failover (failover.ts) all read
 * and change these tables; this module imports none of them.
 */
import { CloseCodes } from "../../protocol/index.js";
import type { Connection } from "../core/connection.js";
import type { Core } from "../core/core.js";
import { broadcastParticipants, roomStatePayload } from "../core/room-views.js";
import type { Session } from "../core/session.js";
import type { Bus } from "./bus.js";
import { GatewayLink } from "./gateway-link.js";
import { GatewayLinks, RemoteSessions } from "./peer-count.js";
import { RemoteSocket } from "./remote-socket.js";

export interface PlacementDeps {
  core: Core;
  id: string;
  bus: Bus;
  /** Redis reachable and the heartbeat renewed within the TTL. */
  available(): boolean;
  retryAfterMs: number;
}

/** The key of a socket `c` of gateway `g` in `remote` and `moved`. */
export const rk = (g: string, c: string): string => `${g}\n${c}`;

export class SessionPlacement {
  /** This instance's sockets, by key. */
  readonly links = new Map<string, Connection>();
  /** This instance's sockets whose session lives elsewhere (counted per home). */
  readonly gatewayLinks = new GatewayLinks();
  /** Sessions living here whose socket is on another instance, by gateway + key (counted per gateway). */
  readonly remote = new RemoteSessions<Connection>();
  /** Sessions that moved on from here (late frames follow them), by gateway + key. Kept a minute (sweepMoved). */
  readonly moved = new Map<string, string>();
  private movedBefore = new Set<string>();

  constructor(private readonly d: PlacementDeps) {}

  get hub() {
    return this.d.core.hub;
  }

  /** The GatewayLink of this instance's socket `conn` (made and counted on first use), now pointed at `home`. */
  linkFor(conn: Connection, home: string): GatewayLink {
    let link = this.gatewayLinks.get(conn.key);
    if (!link) {
      link = new GatewayLink(
        conn,
        home,
        this.hub,
        this.d.bus,
        this.d.id,
        this.d.available,
        this.d.retryAfterMs,
        (l) => this.gatewayLinks.delete(l.conn.key),
        (l, from, to) => this.gatewayLinks.homeChanged(l, from, to),
      );
      this.gatewayLinks.set(conn.key, link);
    } else {
      link.setHome(home);
    }
    return link;
  }

  /** Takes a session that leaves this instance (it moved, or its room was dropped) out of the hub's tables; its resume grace timer stops. */
  forgetSession(s: Session): void {
    const { hub } = this;
    if (hub.sessions.get(s.id) === s) hub.sessions.delete(s.id);
    if (hub.resumeTokens.get(s.resumeToken) === s.id) hub.resumeTokens.delete(s.resumeToken);
    if (s.graceTimer !== null) hub.clock.clearTimeout(s.graceTimer);
    s.graceTimer = null;
    s.roomId = null;
  }

  /**
   * Gives member `target` (restored here) the socket `key` of gateway `g`,
   * without a new token (failover's `bind`, or a re-home that found the room
   * here): another socket it had is closed (SESSION_REPLACED), its resume
   * grace ends, it gets `room_state` and the room its participants, and the
   * frames that waited on the socket's link run. A local socket that closed
   * meanwhile is left alone: the member keeps its grace.
   */
  bindSession(g: string, key: string, target: Session): void {
    const { hub } = this;
    if (g === this.d.id && !this.links.has(key)) return; // the socket closed meanwhile: the member keeps its grace
    const old = target.socket;
    const same = old instanceof RemoteSocket && old.gateway === g && old.key === key;
    if (old && !same) hub.closeSocket(old, CloseCodes.SESSION_REPLACED, "session resumed elsewhere");
    if (target.graceTimer !== null) hub.clock.clearTimeout(target.graceTimer);
    target.graceTimer = null;
    target.droppedAt = null;
    const link = g === this.d.id ? this.gatewayLinks.get(key) : undefined;
    const conn = this.attach(g, key, target);
    if (!conn) return;
    const room = target.roomId ? hub.rooms.get(target.roomId) : undefined;
    if (room) {
      hub.send(target, "room_state", roomStatePayload(hub, room, target.id), room.id);
      broadcastParticipants(hub, room);
    }
    for (const [text, at] of link?.takeWaiting() ?? []) conn.receiveForwarded(text, at);
  }

  /** Gives `session` the socket `key` of gateway `g`: the local socket itself, or a RemoteSocket to it. */
  attach(g: string, key: string, session: Session): Connection | null {
    if (g === this.d.id) {
      const conn = this.links.get(key);
      if (!conn) return null;
      this.gatewayLinks.delete(key);
      conn.rehome(session);
      return conn;
    }
    const conn = this.d.core.adopt(new RemoteSocket(this.d.bus, g, key), session);
    this.remote.set(rk(g, key), conn);
    this.moved.delete(rk(g, key));
    this.d.bus.publish(g, { t: "homed", c: key, home: this.d.id, client: session.id });
    return conn;
  }

  /** Remembers where a session moved on to (late frames follow it), for 30–60 s from now even if an older address was swept once already. */
  rememberMove(g: string, key: string, home: string): void {
    const k = rk(g, key);
    this.moved.set(k, home);
    this.movedBefore.delete(k);
  }

  /** Forgets forwarding addresses older than two sweeps (called every 30 s): late frames arrive within moments. */
  sweepMoved(): void {
    for (const k of this.movedBefore) this.moved.delete(k);
    this.movedBefore = new Set(this.moved.keys());
  }
}
