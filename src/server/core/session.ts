/**
 * A client's session: its identity, its socket (null while within the
 * resume grace after a drop), its room, and its per-connection limits.
 */
import type { TimerHandle } from "./clock.js";
import type { TokenBucket } from "./rate-limiter.js";
import type { SocketLike } from "./socket.js";

export interface Identity {
  /** Jellyfin user id when authenticated. */
  userId: string | null;
  name: string | null;
  canCreate: boolean;
  canJoin: boolean;
}

export const OPEN_IDENTITY: Identity = Object.freeze({ userId: null, name: null, canCreate: true, canJoin: true });

export class Session {
  socket: SocketLike | null;
  roomId: string | null = null;
  name: string;
  /** Set once the client sent `hello`: it speaks our extensions and may resume. */
  extended = false;
  identity: Identity | null;
  resumeToken: string;
  graceTimer: TimerHandle | null = null;
  /** Last measured round trip, ms (ws ping frames or the client's own report). */
  rttMs: number | null = null;
  bucket: TokenBucket;
  /** Server time of the last rate_limited notice without a ref, ms; null until the first (a number field would box a double per session). */
  rateLimitNotifiedAt: number | null = null;
  closed = false;
  /** The page said `leaving`: on close, keep the seat only for `leavingGraceMs`. Cleared on resume. */
  leaving = false;
  /** The address the client connected from (for per-address limits); null for restored sessions. */
  ip: string | null = null;
  /** Server time the socket dropped, while within the resume grace; null when connected or restored. */
  droppedAt: number | null = null;
  /** The version of room_list last sent to this session (Hub.roomListVersion); a lobby push skips sessions that have it. */
  roomListSeen = -1;

  constructor(
    readonly id: string,
    socket: SocketLike | null,
    resumeToken: string,
    identity: Identity | null,
    bucket: TokenBucket,
  ) {
    this.socket = socket;
    this.resumeToken = resumeToken;
    this.identity = identity;
    this.bucket = bucket;
    this.name = `Guest ${id.slice(-4).toUpperCase()}`;
  }

  get connected(): boolean {
    return this.socket !== null;
  }
}
