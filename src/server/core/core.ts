/**
 * The transport-free session server: give it sockets and frames, it runs
 * the protocol. `createCore` is what the ws shell, the tests and the
 * benchmarks drive.
 */
import { PROTOCOL_VERSION } from "../../protocol/index.js";
import { createPayloadSchemas } from "../../protocol/schemas.js";
import type { ServerConfig } from "../config.js";
import { MemoryRoomStore } from "../store/memory-store.js";
import type { RoomStore } from "../store/room-store.js";
import type { Clock, TimerHandle } from "./clock.js";
import { Connection } from "./connection.js";
import { type Authenticator, Hub } from "./hub.js";
import { newClientId, newSecret } from "./ids.js";
import { closeRoom, endSession } from "./membership.js";
import { STORE_CHECK_INTERVAL_MS, checkStore, flushRooms, restoreRooms } from "./persistence.js";
import { armRestoredTimeline } from "./timeline-commands.js";
import { type CoreLogger, silentLogger } from "./logger.js";
import type { CoreObserver } from "./observer.js";
import { TokenBucket } from "./rate-limiter.js";
import { type Identity, OPEN_IDENTITY, Session } from "./session.js";
import type { SocketLike } from "./socket.js";

export interface CoreOptions {
  config: ServerConfig;
  clock: Clock;
  log?: CoreLogger;
  store?: RoomStore;
  /** When set, clients must authenticate (URL token at connect, or `hello {token}`). */
  authenticator?: Authenticator | null;
  /** Told about messages, errors and sync reports as they happen (e.g. Prometheus metrics). */
  observer?: CoreObserver;
}

export interface CoreStats {
  connections: number;
  sessions: number;
  rooms: number;
  members: number;
  /** Whether the room store accepts writes (see StoreHealth). */
  storeOk: boolean;
}

export interface Core {
  /** A new socket: sends `client_hello` and, when the client may see rooms, `room_list`. */
  connect(socket: SocketLike, opts?: { identity?: Identity | null; ip?: string }): Connection;
  /** Tells every client the server is going away and closes their sockets (1001). Idempotent. */
  shutdown(reconnectAfterMs?: number): void;
  stats(): CoreStats;
  /** Cluster mode: runs an existing session (moved here from another instance) on `socket`. */
  adopt(socket: SocketLike, session: Session): Connection;
  readonly hub: Hub;
}

export function createCore(options: CoreOptions): Core {
  const { config, clock } = options;
  const authenticator = options.authenticator ?? null;
  const hub = new Hub(
    config,
    clock,
    createPayloadSchemas(config),
    options.log ?? silentLogger,
    options.store ?? new MemoryRoomStore(),
    authenticator,
  );
  if (options.observer) hub.observer = options.observer;
  // Open connections, counted: each Connection reports its close once (no set entry per connection).
  let connections = 0;
  const stored = hub.store.loadAll((room, reason) =>
    hub.log.error({ room, reason }, "a stored room cannot be read back; it is left in the store and not restored (the other rooms are)"),
  );
  restoreRooms(hub, stored, {
    graceExpired: (session) => endSession(hub, session, "expired"),
    emptyRoomExpired: (room) => closeRoom(hub, room, "empty"),
  });
  // A room restored while playing re-announces its timeline, and stops at a known end (or at once, if past it).
  for (const room of hub.rooms.values()) armRestoredTimeline(hub, room);
  // A store with a file checks it now and then: deleted or replaced under an idle server, every room is written anew.
  let storeCheck: TimerHandle | null = null;
  const checkLater = (): void => {
    storeCheck = clock.setTimeout(() => {
      checkStore(hub);
      checkLater();
    }, STORE_CHECK_INTERVAL_MS);
  };
  if (hub.store.verify) checkLater();
  hub.stall.start();

  function connect(socket: SocketLike, opts: { identity?: Identity | null; ip?: string } = {}): Connection {
    const identity = authenticator ? (opts.identity ?? null) : OPEN_IDENTITY;
    const session = new Session(
      newClientId(),
      socket,
      newSecret(),
      identity,
      new TokenBucket(config.maxMessagesPerSecond, config.messageBurst, clock.now()),
    );
    if (identity?.name) session.name = identity.name;
    session.ip = opts.ip ?? null;
    hub.sessions.set(session.id, session);
    hub.resumeTokens.set(session.resumeToken, session.id);
    const conn = new Connection(hub, socket, session, onClosed);
    connections++;
    hub.cluster?.socketOpened(conn);
    hub.send(session, "client_hello", {
      client_id: session.id,
      protocol: PROTOCOL_VERSION,
      resume_token: session.resumeToken,
      resume_grace_ms: config.resumeGraceMs,
      server_ts: clock.now(),
      auth_required: authenticator !== null,
      limits: {
        max_message_bytes: config.maxMessageBytes,
        max_messages_per_second: config.maxMessagesPerSecond,
        max_name_length: config.maxNameLength,
        max_chat_length: config.maxChatLength,
        max_members_per_room: config.maxMembersPerRoom,
      },
      public_url: config.publicUrl,
      lan_url: hub.lanUrl,
      leaving_grace_ms: config.leavingGraceMs,
    });
    if (identity) hub.send(session, "room_list", hub.roomList());
    return conn;
  }

  function onClosed(c: Connection): void {
    connections--;
    hub.cluster?.socketClosed(c);
  }

  function adopt(socket: SocketLike, session: Session): Connection {
    session.socket = socket;
    return new Connection(hub, socket, session, () => {});
  }

  function shutdown(reconnectAfterMs = 1000): void {
    if (hub.shuttingDown) return;
    hub.shuttingDown = true;
    hub.cancelLobbyPush();
    for (const s of hub.sessions.values()) {
      if (!s.socket) continue;
      hub.send(s, "server_shutdown", { reconnect_after_ms: reconnectAfterMs }, s.roomId ?? "");
      s.socket.close(1001, "server shutting down");
    }
    for (const room of hub.rooms.values()) room.stopTimers(clock);
    for (const s of hub.sessions.values()) if (s.graceTimer !== null) clock.clearTimeout(s.graceTimer);
    if (storeCheck !== null) clock.clearTimeout(storeCheck);
    hub.stall.stop();
    checkStore(hub);
    flushRooms(hub);
  }

  function stats(): CoreStats {
    let members = 0;
    for (const r of hub.rooms.values()) members += r.members.size;
    return { connections, sessions: hub.sessions.size, rooms: hub.rooms.size, members, storeOk: hub.storeHealth.ok };
  }

  return { connect, shutdown, stats, adopt, hub };
}
