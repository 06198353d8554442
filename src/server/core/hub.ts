/**
 * The core's state and its primitives: sessions, rooms, sending, fan-out,
 * lobby pushes. Handlers and the membership/timeline modules build on it.
 * Transport-free: sockets are SocketLike, time comes from a Clock.
 */
import { StallWatch } from "./stall-watch.js";
import {
  CloseCodes,
  type ErrorCode,
  ErrorMessages,
  type ErrorPayload,
  type RoomSummary,
  type ServerPayloads,
  type ServerType,
} from "../../protocol/index.js";
import { type QuickPayloads, createQuickPayloads } from "../../protocol/quick-validate.js";
import type { PayloadSchemas } from "../../protocol/schemas.js";
import type { ServerConfig } from "../config.js";
import type { RoomStore } from "../store/room-store.js";
import { StoreHealth } from "../store/store-health.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import type { CoreLogger } from "./logger.js";
import { encode } from "./outgoing.js";
import type { Room } from "./room.js";
import { PasswordGuesses } from "./room-password.js";
import { ReplyBudget } from "./reply-budget.js";
import { type RankedRoom, RoomRanking } from "./room-ranking.js";
import { type CoreObserver, NO_OBSERVER } from "./observer.js";
import { type HeldFrame, ReleaseQueue } from "./release-queue.js";
import type { Identity, Session } from "./session.js";
import type { SocketLike } from "./socket.js";

/** Verifies a Jellyfin (or other) access token; rejects with an AuthError. */
export type Authenticator = (token: string) => Promise<Identity>;

export class AuthError extends Error {
  constructor(
    readonly code: "auth_failed" | "auth_unavailable" | "forbidden",
    message: string,
  ) {
    super(message);
  }
}

/** Types that a member may miss under backpressure: the next one supersedes them. */
const DROPPABLE: ReadonlySet<ServerType> = new Set(["state_update", "participants_update", "room_list"]);

export class Hub {
  readonly sessions = new Map<string, Session>();
  readonly rooms = new Map<string, Room>();
  readonly resumeTokens = new Map<string, string>();
  /** Wrong room passwords per address (room-password.ts). */
  readonly passwordGuesses = new PasswordGuesses();
  /** Bytes of room_state each address's joins made the server send (reply-budget.ts). */
  readonly replyBudget = new ReplyBudget();
  /** Room id → the address that created it, and address → its rooms (for maxRoomsPerIp; see room-limits.ts). */
  readonly roomCreators = new Map<string, string>();
  readonly roomsByCreator = new Map<string, Set<string>>();
  private lobbyPushTimer: unknown = null;
  /** The current room_list payload; null once anything it shows may have changed (see scheduleLobbyPush). */
  private roomListCache: ServerPayloads["room_list"] | null = null;
  /** This instance's listed rooms in room_list order, updated per changed room (room-ranking.ts). */
  private readonly ranking = new RoomRanking<RoomSummary>();
  /** Rooms whose place in `ranking` may be stale; null = every room (start, or a caller that did not say which). */
  private rankDirty: Set<string> | null = null;
  /** Rooms changed since the last lobby push, for cluster mode's lobby mirror; null = every room. */
  private pushDirty: Set<string> | null = null;
  /** The last room_list built, and its version: bumped only when what it shows changed (see pushLobby). */
  private lastRoomList: ServerPayloads["room_list"] = [];
  roomListVersion = 0;
  shuttingDown = false;
  /** Rooms changed since the last store write. */
  readonly dirtyRooms = new Set<string>();
  /**
   * While `trackingTouched`, the rooms the running handler marked dirty: the
   * write before its reply covers these only (see Connection.storeAndRelease).
   */
  readonly touchedRooms = new Set<string>();
  trackingTouched = false;
  persistTimer: TimerHandle | null = null;
  /** Notices the process standing still, so stale commands read after it are refused (stall-watch.ts); started by core.ts. */
  readonly stall: StallWatch;
  /** Server time at which the frame being handled arrived (for pong's server_rx_ts). */
  receivedAt = 0;
  /** The server's guess of its page address on the local network (set once listening), for invite links. */
  lanUrl: string | null = null;
  /** Told about messages, errors, sync reports and store failures (metrics). */
  observer: CoreObserver = NO_OBSERVER;
  /** Whether the store accepts writes (for /health, /metrics and the exit code). */
  readonly storeHealth: StoreHealth;
  /** While a handler runs, outgoing frames wait here until what they hand out is stored. */
  private held: HeldFrame[] | null = null;
  /** Held frames whose asynchronous store write (Redis) has not settled, in order. */
  private readonly waiting = new ReleaseQueue((session, frame, type) => this.deliver(session, frame, type));
  /** The store refused to write these rooms: this instance no longer owns them (cluster mode sets it). */
  onFenced: (rooms: readonly string[]) => void = () => {};
  /** Sockets the server is closing: nothing more is sent to them; their close event runs the usual path. */
  private readonly closing = new WeakSet<SocketLike>();
  /** Cluster mode (src/server/cluster); null for a single instance. */
  cluster: ClusterHooks | null = null;
  /** Zod-equivalent quick checks of the hottest payloads (protocol/quick-validate.ts), for the same limits as `schemas`. */
  readonly quickPayloads: QuickPayloads;

  constructor(
    readonly config: ServerConfig,
    readonly clock: Clock,
    readonly schemas: PayloadSchemas,
    readonly log: CoreLogger,
    readonly store: RoomStore,
    readonly authenticator: Authenticator | null,
  ) {
    this.storeHealth = new StoreHealth(log, clock.now());
    this.stall = new StallWatch(clock);
    this.quickPayloads = createQuickPayloads(config);
  }

  /** Holds outgoing frames (in order) until release(): replies leave only after the store write. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends the held frames in the order they were produced (behind batches still waiting for a write). */
  release(): void {
    const held = this.held;
    this.held = null;
    if (!held) return;
    if (this.waiting.busy) this.waiting.push(held);
    else for (const [session, frame, type] of held) this.deliver(session, frame, type);
  }

  /** Releases the held frames once `written` settles, never before an older batch; resolves when they left. */
  releaseAfter(written: Promise<void>): Promise<void> {
    const held = this.held ?? [];
    this.held = null;
    return this.waiting.after(written, held);
  }

  /** Counts an asynchronous store write until it settles (see writesSettled). */
  trackWrite(write: Promise<void>): void {
    this.waiting.track(write);
  }

  /** Resolves once every asynchronous store write so far has settled (before the store closes). */
  writesSettled(): Promise<void> {
    return this.waiting.settled();
  }

  now(): number {
    return this.clock.now();
  }

  /** Writes a frame to one session's socket, honouring backpressure limits. */
  sendRaw(session: Session, frame: string, type: ServerType): void {
    if (this.held) {
      this.held.push([session, frame, type]);
      return;
    }
    // Frames sent outside a handler (timers, closes) keep their place behind batches awaiting a write.
    if (this.waiting.busy) return this.waiting.push([[session, frame, type]]);
    this.deliver(session, frame, type);
  }

  private deliver(session: Session, frame: string, type: ServerType): void {
    const socket = session.socket;
    if (!socket || this.closing.has(socket)) return;
    const queued = socket.bufferedAmount;
    if (queued > this.config.maxBufferedBytes) {
      this.log.warn({ client: session.id, queued }, "closing slow consumer");
      this.closeSocket(socket, CloseCodes.TOO_SLOW, "too slow");
      return;
    }
    if (queued > this.config.softMaxBufferedBytes && DROPPABLE.has(type)) return;
    socket.send(frame);
    if (!socket.relayed) this.observer.messageOut(type);
  }

  /**
   * Closes a socket from the server side. The session keeps the socket until
   * its close event, so every end of a connection runs the same path
   * (Connection.closed: resume grace or leave, counts, client_left, lobby
   * push). If the close handshake has not finished within `closeTimeoutMs`
   * (its close frame stuck behind a full queue), the socket is destroyed:
   * the peer then sees an abnormal close (1006) instead of `code`.
   */
  closeSocket(socket: SocketLike, code: number, reason: string): void {
    if (this.closing.has(socket)) return;
    this.closing.add(socket);
    socket.close(code, reason);
    if (socket.terminate) this.clock.setTimeout(() => socket.terminate?.(), this.config.closeTimeoutMs);
  }

  /** Sends one message to `session`; returns the length of its text (UTF-16 units, ≈ bytes for JSON). */
  send<K extends ServerType>(session: Session, type: K, payload: ServerPayloads[K], room = ""): number {
    // Every room_list sent is the current one (roomList()): the session has seen this version.
    if (type === "room_list") session.roomListSeen = this.roomListVersion;
    const frame = encode(type, room, "", payload, this.now());
    this.sendRaw(session, frame, type);
    return frame.length;
  }

  error(session: Session, code: ErrorCode, extra: Partial<Omit<ErrorPayload, "code">> = {}, room = ""): void {
    const payload: ErrorPayload = { code, message: extra.message ?? ErrorMessages[code], ...extra };
    if (payload.ref === undefined) delete payload.ref;
    this.observer.error(code);
    this.send(session, "error", payload, room);
  }

  /** Serializes once and sends to every connected member of `room` except `exceptId`. */
  broadcast<K extends ServerType>(
    room: Room,
    type: K,
    payload: ServerPayloads[K],
    opts: { from?: string; exceptId?: string; ts?: number } = {},
  ): void {
    const now = this.now();
    const frame = encode(type, room.id, opts.from ?? "", payload, now, opts.ts ?? now);
    for (const id of room.members.keys()) {
      if (id === opts.exceptId) continue;
      const s = this.sessions.get(id);
      if (s) this.sendRaw(s, frame, type);
    }
  }

  sessionInfo = (id: string): { name: string; connected: boolean; userId: string | null } => {
    const s = this.sessions.get(id);
    return { name: s?.name ?? "?", connected: s?.connected ?? false, userId: s?.identity?.userId ?? null };
  };

  isConnected = (id: string): boolean => this.sessions.get(id)?.connected ?? false;

  /**
   * The listed rooms: most members first, then the oldest, at most
   * `maxListedRooms`. Built once per change, not per call (every client gets
   * it on connect), from a ranking updated only for the rooms that changed:
   * a build costs O(changed rooms × log rooms + maxListedRooms), so a join
   * storm over thousands of rooms stays linear. In cluster mode the rooms
   * held by other instances (the lobby mirror) are merged in by the same rule.
   */
  roomList(): ServerPayloads["room_list"] {
    if (this.roomListCache) return this.roomListCache;
    this.rerank();
    const max = this.config.maxListedRooms;
    const out: RoomSummary[] = [];
    const local = this.ranking.values();
    if (!this.cluster) {
      for (const r of local) {
        if (out.length >= max) break;
        out.push(r.value);
      }
      return this.keepRoomList(out);
    }
    // Cluster mode: merge with the rooms held elsewhere (ties: this instance's first, as before).
    const remote = this.cluster.remoteRanking()[Symbol.iterator]();
    const nextRemote = (): RankedRoom<RoomSummary> | undefined => {
      for (let n = remote.next(); !n.done; n = remote.next()) if (!this.rooms.has(n.value.id)) return n.value;
      return undefined;
    };
    let a = local.next();
    let b = nextRemote();
    while (out.length < max && (!a.done || b)) {
      if (!a.done && (!b || !(b.count > a.value.count || (b.count === a.value.count && b.createdAt < a.value.createdAt)))) {
        out.push(a.value.value);
        a = local.next();
      } else if (b) {
        out.push(b.value);
        b = nextRemote();
      }
    }
    return this.keepRoomList(out);
  }

  /** Caches a freshly built list; a new version only when it differs from the last one (a change outside the top K shows nothing). */
  private keepRoomList(list: RoomSummary[]): ServerPayloads["room_list"] {
    const last = this.lastRoomList;
    const same =
      list.length === last.length &&
      list.every((r, i) => {
        const l = last[i]!;
        return r.id === l.id && r.count === l.count && r.name === l.name && r.media_title === l.media_title;
      });
    if (!same) {
      this.lastRoomList = list;
      this.roomListVersion++;
    }
    this.roomListCache = this.lastRoomList;
    return this.lastRoomList;
  }

  /** Brings `ranking` up to date with the rooms that changed. */
  private rerank(): void {
    const dirty = this.rankDirty;
    this.rankDirty = new Set();
    if (dirty === null) {
      this.ranking.clear();
      for (const r of this.rooms.values()) if (!r.isPrivate) this.ranking.set(r.id, r.members.size, r.createdAt, r.summary());
      return;
    }
    for (const id of dirty) {
      const r = this.rooms.get(id);
      if (r && !r.isPrivate) this.ranking.set(id, r.members.size, r.createdAt, r.summary());
      else this.ranking.delete(id);
    }
  }

  /**
   * Coalesced push of `room_list` to every connected client not in a room.
   * Called on every change the list shows (a room opens or closes, its count,
   * name or media title changes), so it also drops the cached list. `rooms`
   * names this instance's rooms that changed (an empty list: only rooms held
   * elsewhere did); omitted, every room is looked at again.
   */
  scheduleLobbyPush(rooms?: string | Iterable<string>): void {
    this.roomListCache = null;
    if (rooms === undefined) {
      this.rankDirty = null;
      this.pushDirty = null;
    } else {
      for (const id of typeof rooms === "string" ? [rooms] : rooms) {
        this.rankDirty?.add(id);
        this.pushDirty?.add(id);
      }
    }
    if (this.lobbyPushTimer !== null) return;
    this.lobbyPushTimer = this.clock.setTimeout(() => {
      this.lobbyPushTimer = null;
      this.pushLobby();
    }, this.config.roomListPushDelayMs);
  }

  pushLobby(): void {
    const changed = this.pushDirty;
    this.pushDirty = new Set();
    this.cluster?.lobbyChanged(changed);
    const list = this.roomList();
    const version = this.roomListVersion;
    let frame: string | null = null;
    // Only signed-in sessions see rooms: in auth mode a socket without an identity learns nothing. Sessions
    // that already have this list (it did not change where it shows, or they got it on connect) are skipped.
    for (const s of this.sessions.values()) {
      if (s.roomId !== null || !s.connected || !s.identity || s.roomListSeen === version) continue;
      frame ??= encode("room_list", "", "", list, this.now());
      s.roomListSeen = version;
      this.sendRaw(s, frame, "room_list");
    }
  }

  cancelLobbyPush(): void {
    if (this.lobbyPushTimer !== null) this.clock.clearTimeout(this.lobbyPushTimer as never);
    this.lobbyPushTimer = null;
  }
}
