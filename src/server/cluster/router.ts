/**
 * Where a session lives, and moving it there. A socket terminates at its
 * gateway; its session lives on its home: the gateway while in the lobby,
 * the room's owner while in a room. join_room / resume for a room held
 * elsewhere move the session to the owner (`adopt`, with the frame itself);
 * a room nobody live holds is claimed here and restored from the store.
 * Frames of a remote-homed socket are forwarded (gateway-link.ts); the
 * home sends back through RemoteSocket. Failover and fenced-out rooms
 * re-home sockets with `bind` (the member restored at the new owner takes
 * the socket, without a new token).
 */
import { type ClientType, CloseCodes } from "../../protocol/index.js";
import type { ClusterHooks } from "../core/cluster-hooks.js";
import type { Connection } from "../core/connection.js";
import type { Core } from "../core/core.js";
import { type AckExtra, type Handler, type HandlerContext, Refusal, refuse } from "../core/handlers/context.js";
import { newRoomId } from "../core/ids.js";
import { closeRoom, endSession, removeFromRoom } from "../core/membership.js";
import { restoreRooms } from "../core/persistence.js";
import { broadcastParticipants, roomStatePayload } from "../core/room-views.js";
import type { Session } from "../core/session.js";
import { armMediaEnd } from "../core/timeline-commands.js";
import type { RoomSnapshot, RoomStore } from "../store/room-store.js";
import type { Bus, BusMessage, SessionSnap } from "./bus.js";
import { receiveBusMessage } from "./bus-inbound.js";
import { dropRooms, instanceDied, peers, rehome } from "./failover.js";
import { GatewayLink } from "./gateway-link.js";
import type { LobbyDirectory } from "./lobby-directory.js";
import type { Ownership } from "./ownership.js";
import { GatewayLinks, RemoteSessions } from "./peer-count.js";
import { RemoteSocket } from "./remote-socket.js";

/** What works while Redis is unreachable: local, written behind, or read from the lobby mirror. */
const WITHOUT_REDIS: ReadonlySet<ClientType> = new Set(["ping", "sync_report", "state_update", "list_rooms", "room_info", "leaving", "hello"]);

/** The store as cluster mode uses it (RedisRoomStore): rooms are loaded when claimed, tokens looked up. */
export interface ClusterStore extends RoomStore {
  load?(roomId: string): Promise<RoomSnapshot | null>;
  findResume?(token: string): Promise<{ client: string; room: string } | null>;
}

export interface RouterDeps {
  core: Core;
  id: string;
  bus: Bus;
  ownership: Ownership;
  lobby: LobbyDirectory;
  store: ClusterStore;
  /** Redis reachable and the heartbeat renewed within the TTL. */
  available(): boolean;
  retryAfterMs: number;
}

/** Where a room is: here, on another live instance, or nowhere. */
export type Location = "here" | { home: string } | null;

export const rk = (g: string, c: string): string => `${g}\n${c}`;

/** ioredis' errors for a command that got no answer: timed out, or the connection is down (no offline queue). */
function isRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.message === "Command timed out" || err.message.startsWith("Stream isn't writeable") || err.message === "Connection is closed.";
}


export class ClusterRouter implements ClusterHooks {
  /** This instance's sockets, by key. */
  readonly links = new Map<string, Connection>();
  /** This instance's sockets whose session lives elsewhere (counted per home). */
  readonly gatewayLinks = new GatewayLinks();
  /** Sessions living here whose socket is on another instance, by gateway + key (counted per gateway). */
  readonly remote = new RemoteSessions<Connection>();
  /** Sessions that moved on from here (late frames follow them), by gateway + key. Kept a minute (sweepMoved). */
  readonly moved = new Map<string, string>();
  private movedBefore = new Set<string>();
  private readonly locating = new Map<string, Promise<Location>>();

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
    this.links.set(conn.key, conn);
  }

  socketClosed(conn: Connection): void {
    this.links.delete(conn.key);
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

  /** Finds the room's live owner; with nobody live holding it, claims it here and restores it from the store. */
  locate(roomId: string): Promise<Location> {
    let p = this.locating.get(roomId);
    if (!p) {
      p = this.findOrClaim(roomId).finally(() => this.locating.delete(roomId));
      this.locating.set(roomId, p);
    }
    return p;
  }

  private async findOrClaim(roomId: string): Promise<Location> {
    const { hub, ownership } = { hub: this.hub, ownership: this.d.ownership };
    if (hub.rooms.has(roomId)) return "here";
    const o = await ownership.lookup(roomId);
    if (o?.live && o.owner !== this.d.id) return { home: o.owner };
    if (!this.d.store.load) return null; // without a durable store a room with no live owner is gone
    // A room that was never stored is not claimed: a join with a made-up id leaves no key in Redis.
    if (!o && !(await this.d.store.load(roomId))) {
      this.d.lobby.forget(roomId);
      return null;
    }
    const claim = await ownership.claim(roomId);
    if (!claim.won) return { home: claim.owner };
    if (hub.rooms.has(roomId)) return "here";
    const snap = await this.d.store.load(roomId);
    if (hub.rooms.has(roomId)) return "here";
    if (!snap) {
      await ownership.release(roomId);
      this.d.lobby.forget(roomId);
      return null;
    }
    this.restore(snap);
    return "here";
  }

  private restore(snap: RoomSnapshot): void {
    const { hub } = this;
    restoreRooms(hub, [snap], {
      graceExpired: (s) => endSession(hub, s, "expired"),
      emptyRoomExpired: (r) => closeRoom(hub, r, "empty"),
    });
    const room = hub.rooms.get(snap.id);
    if (room) armMediaEnd(hub, room);
    hub.scheduleLobbyPush(snap.id);
  }

  /** Moves the connection's session to `home`, which handles `text` (the join_room or resume frame). */
  private migrate(conn: Connection, home: string, text: string, at: number): void {
    const { hub } = this;
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
    this.forgetSession(s);
    const sock = conn.socketLike;
    const g = sock instanceof RemoteSocket ? sock.gateway : this.d.id;
    if (sock instanceof RemoteSocket) {
      this.remote.delete(rk(g, conn.key));
      this.moved.set(rk(g, conn.key), home);
      conn.remote = { forward: (d, at2) => this.d.bus.publish(home, { t: "in", c: conn.key, g, d, at: at2 }), closed() {} };
    } else {
      conn.remote = this.linkFor(conn, home);
    }
    this.d.bus.publish(home, { t: "adopt", c: conn.key, g, s: snap, d: text, at });
  }

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

  forgetSession(s: Session): void {
    const { hub } = this;
    if (hub.sessions.get(s.id) === s) hub.sessions.delete(s.id);
    if (hub.resumeTokens.get(s.resumeToken) === s.id) hub.resumeTokens.delete(s.resumeToken);
    if (s.graceTimer !== null) hub.clock.clearTimeout(s.graceTimer);
    s.graceTimer = null;
    s.roomId = null;
  }

  // ── the bus and failover (bus-inbound.ts, failover.ts) ──

  receive(msg: BusMessage): void {
    receiveBusMessage(this, msg);
  }

  rehome(link: GatewayLink): Promise<void> {
    return rehome(this, link);
  }

  dropRooms(ids: string[]): void {
    dropRooms(this, ids);
  }

  instanceDied(instance: string): void {
    instanceDied(this, instance);
  }

  peers(): { gateways: Set<string>; homes: Set<string> } {
    return peers(this);
  }

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

  /** Forgets forwarding addresses older than two sweeps (called every 30 s): late frames arrive within moments. */
  sweepMoved(): void {
    for (const k of this.movedBefore) this.moved.delete(k);
    this.movedBefore = new Set(this.moved.keys());
  }
}
