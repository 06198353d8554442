/**
 * Failover: sockets whose home died (or dropped their room) find the room's
 * new owner (claiming and restoring it here when nobody holds it) and are
 * bound to their restored member without a new token; rooms this instance
 * was fenced out of stop here at once; dead peers are noticed by the
 * cluster's heartbeat poll (cluster.ts). It works on the socket and session
 * tables (session-placement.ts) and finds rooms through room-locator.ts;
 * the bus (bus-inbound.ts) is handed this object by cluster.ts.
 */
import { CloseCodes } from "../../protocol/index.js";
import type { Connection } from "../core/connection.js";
import { Session } from "../core/session.js";
import type { Bus } from "./bus.js";
import type { GatewayLink } from "./gateway-link.js";
import type { LobbyDirectory } from "./lobby-directory.js";
import type { Ownership } from "./ownership.js";
import { RemoteSocket } from "./remote-socket.js";
import type { Location, RoomLocator } from "./room-locator.js";
import { rk, type SessionPlacement } from "./session-placement.js";

export interface FailoverDeps {
  id: string;
  bus: Bus;
  ownership: Ownership;
  lobby: LobbyDirectory;
  placement: SessionPlacement;
  locator: RoomLocator;
  /** How long a link without a home waits before it looks for its room again after the store failed, in ms. */
  retryAfterMs: number;
}

export class Failover {
  constructor(private readonly d: FailoverDeps) {}

  /** The link's home is gone (dead, or it dropped the room): find the room's owner now, claiming it here if nobody holds it. */
  async rehome(link: GatewayLink): Promise<void> {
    const previous = link.home;
    if (previous === null) return; // already under way
    link.home = null;
    await this.findHome(link, previous);
  }

  /**
   * Locates the link's room and binds the socket there. When the store cannot
   * be reached, a link that had a home instance goes back to it (the
   * heartbeat poll re-homes it again while that instance stays dead); a link
   * made for a dropped room (`previous` "", no instance to fall back on)
   * keeps no home, so its frames wait here in order, and it tries again
   * after `retryAfterMs` until it finds one or its socket closes.
   */
  private async findHome(link: GatewayLink, previous: string): Promise<void> {
    const { placement } = this.d;
    const { room, client } = link;
    const conn = link.conn;
    if (!room) {
      placement.gatewayLinks.delete(conn.key);
      placement.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "home instance gone");
      return;
    }
    let where: Location;
    try {
      where = await this.d.locator.locate(room);
    } catch {
      // Redis unreachable.
      if (previous !== "") link.home = previous;
      else placement.hub.clock.setTimeout(() => void (link.isClosed || link.home !== null || this.findHome(link, previous)), this.d.retryAfterMs);
      return;
    }
    if (link.isClosed) return; // the socket closed meanwhile: the restored member keeps its resume grace
    if (where === "here") {
      const target = placement.hub.sessions.get(client);
      if (target && target.roomId === room && !target.closed) return placement.bindSession(this.d.id, conn.key, target);
    } else if (where) {
      this.d.bus.publish(where.home, { t: "bind", c: conn.key, g: this.d.id, client, room });
      link.setHome(where.home);
      return;
    }
    placement.gatewayLinks.delete(conn.key);
    placement.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "room not found after failover");
  }

  /**
   * This instance lost rooms (a fenced store write: another instance owns
   * them now). They stop here at once, without room semantics; their
   * members' sockets find the new owner.
   */
  dropRooms(ids: string[]): void {
    const { placement } = this.d;
    const { hub } = placement;
    // Each local socket's Connection, found once per call (not by a walk over every link per member: thousands of rooms may go at once).
    let bySocket: Map<unknown, Connection> | null = null;
    for (const id of ids) {
      const room = hub.rooms.get(id);
      this.d.ownership.epochs.delete(id);
      if (!room) continue;
      room.stopTimers(hub.clock);
      hub.rooms.delete(id);
      hub.dirtyRooms.delete(id);
      this.d.lobby.forgetLocal(id);
      for (const memberId of room.members.keys()) {
        const s = hub.sessions.get(memberId);
        if (!s) continue;
        const sock = s.socket;
        placement.forgetSession(s);
        if (sock instanceof RemoteSocket) {
          sock.detached = true;
          placement.remote.delete(rk(sock.gateway, sock.key));
          this.d.bus.publish(sock.gateway, { t: "rehome", c: sock.key, h: this.d.id });
        } else if (sock) {
          bySocket ??= new Map([...placement.links.values()].map((c) => [c.socketLike, c]));
          const conn = bySocket.get(sock);
          if (!conn || conn.session !== s) continue;
          // Frames of the dropped room still waiting for their (refused) write must not reach the socket:
          // the old session lets go of it; the socket gets a stand-in session until the new owner binds it.
          s.socket = null;
          const standIn = new Session(s.id, null, "", s.identity, s.bucket);
          conn.rehome(standIn);
          const link = placement.linkFor(conn, "");
          link.room = id;
          link.client = s.id;
          conn.remote = link;
          void this.rehome(link);
        }
      }
      hub.log.warn({ room: id }, "room taken over by another instance; its members move there");
    }
    hub.scheduleLobbyPush(ids);
  }

  /** Gateways of sockets whose sessions live here, and homes of sockets here whose sessions live elsewhere (counted as they change: peer-count.ts). */
  peers(): { gateways: Set<string>; homes: Set<string> } {
    const { placement } = this.d;
    const gateways = new Set(placement.remote.gateways.ids());
    const homes = new Set<string>();
    for (const h of placement.gatewayLinks.homes.ids()) if (h !== this.d.id) homes.add(h);
    return { gateways, homes };
  }

  /** An instance is dead: its sockets' sessions here start their resume grace; sockets here homed there re-home. */
  instanceDied(instance: string): void {
    const { placement } = this.d;
    for (const [k, conn] of [...placement.remote]) {
      if (!k.startsWith(`${instance}\n`)) continue;
      placement.remote.delete(k);
      conn.closed();
    }
    for (const link of [...placement.gatewayLinks.values()]) if (link.home === instance) void this.rehome(link);
  }
}
