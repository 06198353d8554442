/** The shapes of a PartyConnection: its states, options, timers and events. */
import type { ServerMessage } from "../../protocol/index.js";
import type { BackoffOptions } from "../backoff.js";
import type { PartyError } from "../errors.js";
import type { WebSocketFactory } from "../socket.js";

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export interface ConnectionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Local monotonic clock, ms (default performance.now): round trips are measured on it. */
  now?(): number;
}

export interface PartyConnectionOptions {
  url: string;
  createSocket?: WebSocketFactory;
  displayName?: string;
  /** Jellyfin access token, for servers started with --jellyfin-url. */
  token?: string;
  backoff?: Partial<BackoffOptions>;
  /**
   * How long a request waits for its answer once sent, ms (default 10,000);
   * also the budget for retrying `cluster_unavailable` refusals. On a link
   * whose round trips are slower, the wait grows to twice the slowest recent
   * round trip + 1 s (at most 120 s; connection/round-trip.ts).
   */
  requestTimeoutMs?: number;
  /**
   * How long a request made while the connection is down waits for it to
   * come back, ms (default 300,000 = 5 min); it is sent then, in the order
   * requests were made. After this, or once the connection is closed for
   * good, it rejects (`disconnected` / `closed`). Also how long a request
   * refused `rate_limited` is retried (each after `retry_after_ms`).
   */
  offlineWaitMs?: number;
  /**
   * How long the client waits for any frame after asking the server
   * something (a clock ping, a request) or opening a socket, ms (default
   * 10,000; 0: wait for TCP). After it the socket counts as dead and the
   * connection reconnects and resumes (connection/silence-watch.ts). Grows
   * on a slow link as `requestTimeoutMs` does.
   */
  silenceTimeoutMs?: number;
  timers?: ConnectionTimers;
  /** A resume token kept from an earlier page load: the first connection resumes that session (id, room, host role). */
  resumeToken?: string;
}

export interface ConnectionEvents {
  state: { state: ConnectionState; delayMs?: number };
  message: ServerMessage;
  /** A session is ready: new, or the previous one resumed. `lost` when a resume was refused. */
  session: { clientId: string; resumed: boolean; lost: boolean };
  /**
   * The answer to a request that had already failed "timeout" came after
   * all, `ms` after it was sent (`ok`: an ack, else a refusal): the link is
   * that slow, and the request was (or was not) applied.
   */
  late: { type: string; id: string; ms: number; ok: boolean };
  /** The server refused us for good (auth), or the session was taken over elsewhere. */
  fatal: PartyError;
}
