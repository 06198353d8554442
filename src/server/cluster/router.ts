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
import { type ClientType, CloseCodes, type ServerType } from "../../protocol/index.js";
import type { ClusterHooks } from "../core/cluster-hooks.js";
import type { Connection } from "../core/connection.js";
import type { Core } from "../core/core.js";
import { type AckExtra, type Handler, type HandlerContext, Refusal, refuse } from "../core/handlers/context.js";
import { newRoomId } from "../core/ids.js";
import { closeRoom, endSession, removeFromRoom } from "../core/membership.js";
import { restoreRooms } from "../core/persistence.js";
import { TokenBucket } from "../core/rate-limiter.js";
import { broadcastParticipants, roomStatePayload } from "../core/room-views.js";
import { Session } from "../core/session.js";
import { armMediaEnd } from "../core/timeline-commands.js";
import type { RoomSnapshot, RoomStore } from "../store/room-store.js";
import type { Bus, BusMessage, SessionSnap } from "./bus.js";
import { GatewayLink } from "./gateway-link.js";
import type { LobbyDirectory } from "./lobby-directory.js";
import type { Ownership } from "./ownership.js";
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
type Location = "here" | { home: string } | null;

const rk = (g: string, c: string): string => `${g}\n${c}`;

function frameType(frame: string): ServerType {
  // encode() writes `{"type":"<type>",…` first.
  return frame.slice(9, frame.indexOf('"', 9)) as ServerType;
}

export class ClusterRouter implements ClusterHooks {
  /** This instance's sockets, by key. */
  readonly links = new Map<string, Connection>();
  /** This instance's sockets whose session lives elsewhere. */
  readonly gatewayLinks = new Map<string, GatewayLink>();
  /** Sessions living here whose socket is on another instance, by gateway + key. */
  readonly remote = new Map<string, Connection>();
  /** Sessions that moved on from here (late frames follow them), by gateway + key. Kept a minute (sweepMoved). */
  private readonly moved = new Map<string, string>();
  private movedBefore = new Set<string>();
  private readonly locating = new Map<string, Promise<Location>>();

  constructor(private readonly d: RouterDeps) {}

  private get hub() {
    return this.d.core.hub;
  }

  // ── ClusterHooks ──

  handle(ctx: HandlerContext, conn: Connection, type: ClientType, payload: unknown, handler: Handler<unknown>) {
    if (!WITHOUT_REDIS.has(type) && !this.d.available()) {
      throw new Refusal("cluster_unavailable", undefined, { retry_after_ms: this.d.retryAfterMs });
    }
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

  remoteRooms() {
    return this.d.lobby.remoteRooms();
  }

  lobbyChanged(): void {
    this.d.lobby.sync();
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
    hub.scheduleLobbyPush();
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

  private linkFor(conn: Connection, home: string): GatewayLink {
    let link = this.gatewayLinks.get(conn.key);
    if (!link) {
      link = new GatewayLink(conn, home, this.hub, this.d.bus, this.d.id, this.d.available, this.d.retryAfterMs, (l) =>
        this.gatewayLinks.delete(l.conn.key),
      );
      this.gatewayLinks.set(conn.key, link);
    } else {
      link.setHome(home);
    }
    return link;
  }

  private forgetSession(s: Session): void {
    const { hub } = this;
    if (hub.sessions.get(s.id) === s) hub.sessions.delete(s.id);
    if (hub.resumeTokens.get(s.resumeToken) === s.id) hub.resumeTokens.delete(s.resumeToken);
    if (s.graceTimer !== null) hub.clock.clearTimeout(s.graceTimer);
    s.graceTimer = null;
    s.roomId = null;
  }

  // ── the bus ──

  receive(msg: BusMessage): void {
    switch (msg.t) {
      case "in": {
        const conn = this.remote.get(rk(msg.g, msg.c));
        if (conn) return conn.receiveForwarded(msg.d, msg.at);
        const next = this.moved.get(rk(msg.g, msg.c));
        if (next) return this.d.bus.publish(next, msg);
        // This instance no longer has the session (it restarted, or dropped the room): the gateway finds its home again.
        return this.d.bus.publish(msg.g, { t: "rehome", c: msg.c });
      }
      case "out":
        return this.deliver(msg.b);
      case "rtt":
        this.remote.get(rk(msg.g, msg.c))?.rttSample(msg.ms);
        return;
      case "closed": {
        const conn = this.remote.get(rk(msg.g, msg.c));
        if (conn) {
          this.remote.delete(rk(msg.g, msg.c));
          return conn.closed();
        }
        const next = this.moved.get(rk(msg.g, msg.c));
        if (next) {
          this.moved.delete(rk(msg.g, msg.c));
          this.d.bus.publish(next, msg);
        }
        return;
      }
      case "close": {
        const conn = this.links.get(msg.c);
        if (conn) this.hub.closeSocket(conn.socketLike, msg.code, msg.reason);
        return;
      }
      case "adopt":
        return this.adopt(msg);
      case "bind":
        return this.bind(msg);
      case "homed": {
        const conn = this.links.get(msg.c);
        if (!conn?.remote) return;
        const link = this.linkFor(conn, msg.home);
        link.client = msg.client;
        return;
      }
      case "rehome": {
        const link = this.gatewayLinks.get(msg.c);
        if (link) void this.rehome(link);
        return;
      }
    }
  }

  /** Frames from homes elsewhere for sockets here. Slow-consumer limits apply here, on the real socket. */
  private deliver(batch: Array<[string, string[]]>): void {
    for (const [frame, keys] of batch) {
      const type = frameType(frame);
      const sniff = type === "room_state" || type === "room_list" || type === "room_closed" || type === "resumed";
      for (const key of keys) {
        const conn = this.links.get(key);
        if (!conn) continue;
        if (sniff) this.note(key, type, frame);
        this.hub.sendRaw(conn.session, frame, type);
      }
    }
  }

  /** What a gateway learns from frames about its socket's session: which member it is and its room (for failover and pong). */
  private note(key: string, type: ServerType, frame: string): void {
    const link = this.gatewayLinks.get(key);
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
    const { hub } = this;
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
    const conn = this.attach(msg.g, msg.c, session);
    if (!conn) return;
    hub.sessions.set(session.id, session);
    hub.resumeTokens.set(session.resumeToken, session.id);
    conn.receiveForwarded(msg.d, msg.at);
  }

  /** Failover: the socket takes over member `client` of `room`, restored here, with its token unchanged. */
  private bind(msg: Extract<BusMessage, { t: "bind" }>): void {
    const target = this.hub.sessions.get(msg.client);
    if (!target || target.closed || target.roomId !== msg.room) {
      if (msg.g === this.d.id) {
        const conn = this.links.get(msg.c);
        if (conn) this.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "session not found after failover");
      } else {
        this.d.bus.publish(msg.g, { t: "close", c: msg.c, code: CloseCodes.GOING_AWAY, reason: "session not found after failover" });
      }
      return;
    }
    this.bindSession(msg.g, msg.c, target);
  }

  bindSession(g: string, key: string, target: Session): void {
    const { hub } = this;
    if (g === this.d.id && !this.links.has(key)) return; // the socket closed meanwhile: the member keeps its grace
    const old = target.socket;
    if (old) hub.closeSocket(old, CloseCodes.SESSION_REPLACED, "session resumed elsewhere");
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
  private attach(g: string, key: string, session: Session): Connection | null {
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

  // ── failover ──

  /** The link's home is gone (dead, or it dropped the room): find the room's owner now, claiming it here if nobody holds it. */
  async rehome(link: GatewayLink): Promise<void> {
    const previous = link.home;
    if (previous === null) return; // already under way
    link.home = null;
    const { room, client } = link;
    const conn = link.conn;
    if (!room) {
      this.gatewayLinks.delete(conn.key);
      this.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "home instance gone");
      return;
    }
    let where: Location;
    try {
      where = await this.locate(room);
    } catch {
      link.home = previous; // Redis unreachable: the next poll tries again
      return;
    }
    if (link.isClosed) return; // the socket closed meanwhile: the restored member keeps its resume grace
    if (where === "here") {
      const target = this.hub.sessions.get(client);
      if (target && target.roomId === room && !target.closed) return this.bindSession(this.d.id, conn.key, target);
    } else if (where) {
      this.d.bus.publish(where.home, { t: "bind", c: conn.key, g: this.d.id, client, room });
      link.setHome(where.home);
      return;
    }
    this.gatewayLinks.delete(conn.key);
    this.hub.closeSocket(conn.socketLike, CloseCodes.GOING_AWAY, "room not found after failover");
  }

  /**
   * This instance lost rooms (a fenced store write: another instance owns
   * them now). They stop here at once, without room semantics; their
   * members' sockets find the new owner.
   */
  dropRooms(ids: string[]): void {
    const { hub } = this;
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
        this.forgetSession(s);
        if (sock instanceof RemoteSocket) {
          sock.detached = true;
          this.remote.delete(rk(sock.gateway, sock.key));
          this.d.bus.publish(sock.gateway, { t: "rehome", c: sock.key });
        } else if (sock) {
          const conn = [...this.links.values()].find((c) => c.session === s);
          if (!conn) continue;
          // Frames of the dropped room still waiting for their (refused) write must not reach the socket:
          // the old session lets go of it; the socket gets a stand-in session until the new owner binds it.
          s.socket = null;
          const standIn = new Session(s.id, null, "", s.identity, s.bucket);
          conn.rehome(standIn);
          const link = this.linkFor(conn, "");
          link.room = id;
          link.client = s.id;
          conn.remote = link;
          void this.rehome(link);
        }
      }
      hub.log.warn({ room: id }, "room taken over by another instance; its members move there");
    }
    hub.scheduleLobbyPush();
  }

  /** Forgets forwarding addresses older than two sweeps (called every 30 s): late frames arrive within moments. */
  sweepMoved(): void {
    for (const k of this.movedBefore) this.moved.delete(k);
    this.movedBefore = new Set(this.moved.keys());
  }

  /** Gateways of sockets whose sessions live here, and homes of sockets here whose sessions live elsewhere. */
  peers(): { gateways: Set<string>; homes: Set<string> } {
    const gateways = new Set<string>();
    for (const k of this.remote.keys()) gateways.add(k.slice(0, k.indexOf("\n")));
    const homes = new Set<string>();
    for (const l of this.gatewayLinks.values()) if (l.home && l.home !== this.d.id) homes.add(l.home);
    return { gateways, homes };
  }

  /** An instance is dead: its sockets' sessions here start their resume grace; sockets here homed there re-home. */
  instanceDied(instance: string): void {
    for (const [k, conn] of [...this.remote]) {
      if (!k.startsWith(`${instance}\n`)) continue;
      this.remote.delete(k);
      conn.closed();
    }
    for (const link of [...this.gatewayLinks.values()]) if (link.home === instance) void this.rehome(link);
  }
}
