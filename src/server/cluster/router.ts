/**
 * Where a session lives, and moving it there. A socket terminates at its
 * gateway; its session lives on its home: the gateway while in the lobby,
 * the room's owner while in a room. join_room / resume for a room held
 * elsewhere move the session to the owner (`adopt`, with the frame itself);
 * a room nobody live holds is claimed here and restored from the store.
 * Frames of a remote-homed socket are forwarded (gateway-link.ts); the
 * home sends back through RemoteSocket. Which socket serves which session
 * is kept in session-placement.ts; where a room is, in room-locator.ts.
 * What arrives over the bus (bus-inbound.ts) and failover (failover.ts)
 * are wired beside the router by cluster.ts, not through it.
 */
import type { ClientType } from "../../protocol/index.js";
import type { ClusterHooks } from "../core/cluster-hooks.js";
import type { Connection } from "../core/connection.js";
import { type AckExtra, type Handler, type HandlerContext, Refusal, refuse } from "../core/handlers/context.js";
import { newRoomId } from "../core/ids.js";
import { removeFromRoom } from "../core/membership.js";
import type { SessionSnap } from "./bus.js";
import { RemoteSocket } from "./remote-socket.js";
import type { Location, LocatorDeps, RoomLocator } from "./room-locator.js";
import { type PlacementDeps, rk, type SessionPlacement } from "./session-placement.js";

/** What works while Redis is unreachable: local, written behind, or read from the lobby mirror. */
const WITHOUT_REDIS: ReadonlySet<ClientType> = new Set(["ping", "sync_report", "state_update", "list_rooms", "room_info", "leaving", "hello"]);

/** What the router is given: the placement's and locator's deps, and the placement and locator themselves. */
export interface RouterDeps extends PlacementDeps, LocatorDeps {
  /** The socket and session tables this instance shares with the bus and failover. */
  placement: SessionPlacement;
  locator: RoomLocator;
}

/** ioredis' errors for a command that got no answer: timed out, or the connection is down (no offline queue). */
function isRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.message === "Command timed out" || err.message.startsWith("Stream isn't writeable") || err.message === "Connection is closed.";
}

export class ClusterRouter implements ClusterHooks {
  constructor(readonly d: RouterDeps) {}

  get hub() {
    return this.d.core.hub;
  }

  // ── ClusterHooks ──

  handle(ctx: HandlerContext, conn: Connection, type: ClientType, payload: unknown, handler: Handler<unknown>) {
    if (!WITHOUT_REDIS.has(type) && !this.d.available()) {
      throw new Refusal("cluster_unavailable", undefined, { retry_after_ms: this.d.retryAfterMs });
    }
    const out = this.route(ctx, conn, type, payload, handler);
    // Redis did not answer a routing command in time (or the connection dropped meanwhile): the client may retry.
    if (out instanceof Promise) {
      return out.catch((err: unknown) => {
        if (isRedisFailure(err)) throw new Refusal("cluster_unavailable", undefined, { retry_after_ms: this.d.retryAfterMs });
        throw err;
      });
    }
    return out;
  }

  private route(ctx: HandlerContext, conn: Connection, type: ClientType, payload: unknown, handler: Handler<unknown>) {
    const { hub } = this;
    switch (type) {
      case "create_room":
        return this.createHere(ctx, handler, payload);
      case "join_room": {
        const room = ctx.envelope.room;
        if (room && !hub.rooms.has(room)) return this.joinElsewhere(ctx, conn, room, handler, payload);
        break;
      }
      case "resume": {
        const token = (payload as { resume_token: string }).resume_token;
        if (!hub.resumeTokens.has(token) && !ctx.session.roomId) return this.resumeElsewhere(ctx, conn, token, handler, payload);
        break;
      }
      case "list_rooms":
        // From Redis when it answers (the freshest list), else from the mirror.
        if (this.d.available()) {
          return this.d.lobby.refresh().then(
            () => this.runHeld(ctx, handler, payload),
            () => this.runHeld(ctx, handler, payload),
          );
        }
        break;
      case "room_info": {
        const room = ctx.envelope.room;
        if (room && !hub.rooms.has(room)) return this.roomInfoElsewhere(ctx, room, handler, payload);
        break;
      }
    }
    return handler(ctx, payload);
  }

  /** room_info for a room held elsewhere: from the lobby mirror, or the hash when the mirror has not heard of it yet. */
  private async roomInfoElsewhere(ctx: HandlerContext, room: string, handler: Handler<unknown>, payload: unknown) {
    const entry = this.d.lobby.entry(room) ?? (this.d.available() ? await this.d.lobby.fetch(room).catch(() => undefined) : undefined);
    if (!entry) return this.runHeld(ctx, handler, payload); // room_not_found, as on one server
    const { id, name, host_name, media_title, count, password } = entry;
    this.hub.hold();
    this.hub.send(ctx.session, "room_info", { id, name, host_name: host_name ?? "?", media_title, count, password }, id);
    return undefined;
  }

  /** Runs the handler after an await: its frames are held like a synchronous handler's (the Connection releases them). */
  private runHeld(ctx: HandlerContext, handler: Handler<unknown>, payload: unknown) {
    this.hub.hold();
    return handler(ctx, payload);
  }

  remoteRanking() {
    return this.d.lobby.remoteRanking();
  }

  lobbyChanged(rooms: ReadonlySet<string> | null): void {
    this.d.lobby.sync(rooms);
  }

  socketOpened(conn: Connection): void {
    this.d.placement.links.set(conn.key, conn);
  }

  socketClosed(conn: Connection): void {
    this.d.placement.links.delete(conn.key);
  }

  // ── routing of frames ──

  /** A new room is claimed for this instance before it exists, so its first store write is fenced. */
  private async createHere(ctx: HandlerContext, handler: Handler<unknown>, payload: unknown): Promise<AckExtra | undefined> {
    let id = newRoomId();
    while (this.hub.rooms.has(id)) id = newRoomId();
    const claim = await this.d.ownership.claim(id);
    if (!claim.won) refuse("internal_error", "A new room id was already taken; try again.");
    this.hub.hold();
    try {
      return handler({ ...ctx, newRoomId: id }, payload);
    } finally {
      if (!this.hub.rooms.has(id)) void this.d.ownership.release(id).catch(() => {});
    }
  }

  private async joinElsewhere(ctx: HandlerContext, conn: Connection, roomId: string, handler: Handler<unknown>, payload: unknown) {
    const at = this.hub.receivedAt;
    const where = await this.locate(roomId);
    if (where === "here" || this.hub.rooms.has(roomId)) {
      this.hub.hold();
      return handler(ctx, payload);
    }
    if (where === null) refuse("room_not_found", `No room with id ${roomId}.`);
    this.migrate(conn, where.home, ctx.raw ?? "", at);
    return undefined;
  }

  private async resumeElsewhere(ctx: HandlerContext, conn: Connection, token: string, handler: Handler<unknown>, payload: unknown) {
    const at = this.hub.receivedAt;
    const found = (await this.d.store.findResume?.(token)) ?? null;
    const where = found && !this.hub.resumeTokens.has(token) ? await this.locate(found.room) : "here";
    if (where === "here" || this.hub.resumeTokens.has(token)) {
      this.hub.hold();
      return handler(ctx, payload);
    }
    if (where === null) refuse("resume_failed");
    this.migrate(conn, where.home, ctx.raw ?? "", at);
    return undefined;
  }

  /** Finds the room's live owner; with nobody live holding it, claims it here and restores it from the store (room-locator.ts). */
  locate(roomId: string): Promise<Location> {
    return this.d.locator.locate(roomId);
  }

  /** Moves the connection's session to `home`, which handles `text` (the join_room or resume frame). */
  private migrate(conn: Connection, home: string, text: string, at: number): void {
    const { hub } = this;
    const { placement } = this.d;
    const s = conn.session;
    const snap: SessionSnap = {
      id: s.id,
      name: s.name,
      extended: s.extended,
      identity: s.identity,
      resumeToken: s.resumeToken,
      ip: s.ip,
      leaving: s.leaving,
    };
    if (s.roomId) removeFromRoom(hub, s, "joined_other_room");
    placement.forgetSession(s);
    const sock = conn.socketLike;
    const g = sock instanceof RemoteSocket ? sock.gateway : this.d.id;
    if (sock instanceof RemoteSocket) {
      placement.remote.delete(rk(g, conn.key));
      placement.rememberMove(g, conn.key, home);
      conn.remote = { forward: (d, at2) => this.d.bus.publish(home, { t: "in", c: conn.key, g, d, at: at2 }), closed() {} };
    } else {
      conn.remote = placement.linkFor(conn, home);
    }
    this.d.bus.publish(home, { t: "adopt", c: conn.key, g, s: snap, d: text, at });
  }
}
