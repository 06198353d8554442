/**
 * A connection to the party server that survives drops: it reconnects with
 * backoff and resumes the same session (client id, room, host role) within
 * the server's grace period. Requests carry an `id` and settle on the
 * server's `ack` or coded `error`.
 */
import {
  type AckPayload,
  type ClientPayloads,
  type ClientType,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../protocol/index.js";
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelayMs } from "./backoff.js";
import type {
  ConnectionEvents,
  ConnectionState,
  ConnectionTimers,
  PartyConnectionOptions,
} from "./connection/connection-types.js";
import { PendingRequests } from "./connection/pending-requests.js";
import { RatePacer } from "./connection/rate-pacer.js";
import { sendUntilTaken } from "./connection/resend.js";
import { RoundTrips } from "./connection/round-trip.js";
import { SilenceWatch } from "./connection/silence-watch.js";
import { Emitter } from "./emitter.js";
import { PartyError } from "./errors.js";
import { OPEN, type WebSocketFactory, type WebSocketLike, defaultWebSocketFactory } from "./socket.js";

export type {
  ConnectionEvents,
  ConnectionState,
  ConnectionTimers,
  PartyConnectionOptions,
} from "./connection/connection-types.js";

const errorCode = (err: unknown): string => (err instanceof PartyError ? err.code : String(err));

/** Refusals that come before anything was applied and may pass a moment later: retried within requestTimeoutMs. */
const REFUSED_BEFORE_APPLYING = new Set(["cluster_unavailable", "server_stalled"]);

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set([4001, 4002]);

export class PartyConnection extends Emitter<ConnectionEvents> {
  state: ConnectionState = "idle";
  clientId = "";
  /** The room the envelope names; the party client keeps it current. */
  roomId = "";
  private resumeToken: string | null = null;
  /** A session was ready once on this object (so a new socket is a reconnect, even with a stored token). */
  private hadSession = false;
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private readonly pending: PendingRequests;
  private readonly pacer: RatePacer;
  private waitingForOpen: Array<() => void> = [];
  private reconnectTimer: unknown = null;
  private readonly createSocket: WebSocketFactory;
  private readonly timers: ConnectionTimers;
  private readonly backoff: BackoffOptions;
  private readonly requestTimeoutMs: number;
  private readonly offlineWaitMs: number;
  private readonly silence: SilenceWatch;
  private readonly roundTrips = new RoundTrips();
  private readonly now: () => number;
  /** When the current socket was opened (local ms), until its client_hello came. */
  private openedAt: number | null = null;

  constructor(private readonly options: PartyConnectionOptions) {
    super();
    this.createSocket = options.createSocket ?? defaultWebSocketFactory();
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as number),
    };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.offlineWaitMs = options.offlineWaitMs ?? 300_000;
    this.resumeToken = options.resumeToken ?? null;
    const timers = this.timers;
    this.now = timers.now ? () => timers.now!() : () => performance.now();
    this.pending = new PendingRequests(this.timers, {
      waitMs: () => this.ackTimeoutMs,
      now: this.now,
      onRoundTrip: (ms) => this.roundTrips.note(ms),
      onLate: (late) => this.emit("late", late),
    });
    this.pacer = new RatePacer(this.timers, this.offlineWaitMs);
    const silenceMs = options.silenceTimeoutMs ?? 10_000;
    this.silence = new SilenceWatch(this.timers, () => this.roundTrips.waitMs(silenceMs), (ms) => {
      this.roundTrips.note(ms); // the round trip is at least this long, if the path is only slow: the next wait doubles
      this.drop(`no answer from the server for ${(ms / 1000).toFixed(1)} s`);
    });
  }

  /** How long a request sent now waits for its ack or error, ms: `requestTimeoutMs` (default 10 s), longer on a link whose round trips are slow. */
  get ackTimeoutMs(): number {
    return this.roundTrips.waitMs(this.requestTimeoutMs);
  }

  /** A round trip to the server measured elsewhere (a clock ping) took `ms`: waits for answers scale with it. */
  noteRoundTrip(ms: number): void {
    this.roundTrips.note(ms);
  }

  /** The secret that resumes this session (store it to resume after a page reload); null before the first session. */
  get sessionToken(): string | null {
    return this.resumeToken;
  }

  /**
   * Opens the connection; resolves once the first session is ready. Rejects
   * with a PartyError when it cannot be had: `closed` (the URL cannot be
   * opened, or close() was called), `auth_required` / `auth_failed` /
   * `forbidden` (the server refused the hello).
   */
  connect(): Promise<void> {
    if (this.state === "open") return Promise.resolve();
    if (this.state === "closed") return Promise.reject(new PartyError("closed", "The connection is closed."));
    const ready = new Promise<void>((resolve, reject) => {
      const offSession = this.once("session", () => {
        offFatal();
        offState();
        resolve();
      });
      const offFatal = this.once("fatal", (err) => {
        offSession();
        offState();
        reject(err);
      });
      // close() while connecting: no session and no fatal will come.
      const offState = this.on("state", ({ state }) => {
        if (state !== "closed") return;
        offSession();
        offFatal();
        offState();
        reject(new PartyError("closed", "The connection was closed before a session was ready."));
      });
    });
    // Listening first: open() reports a URL it cannot open synchronously.
    if (this.state === "idle") this.open();
    return ready;
  }

  setDisplayName(name: string): void {
    this.options.displayName = name;
  }

  /**
   * Sends a message with an id; settles on the server's ack or error.
   * While the connection is down (reconnecting) the request waits for it
   * for up to `offlineWaitMs` (default 5 min) and is sent once the session
   * is back, after the requests made before it. A `rate_limited` refusal
   * (this connection sent too much) is retried after the server's
   * `retry_after_ms`, one request at a time and in order, for up to
   * `offlineWaitMs` of waiting (connection/rate-pacer.ts).
   * `cluster_unavailable` (a cluster instance that cannot reach Redis, or
   * is between owners of the room, for a moment) and `server_stalled` (a
   * command read after the server stood still) are retried after
   * `retry_after_ms` for up to `requestTimeoutMs` in all. The server
   * refuses both before applying anything, so a retry cannot apply a
   * command twice.
   */
  async request<K extends ClientType>(
    type: K,
    payload: ClientPayloads[K],
    room = this.roomId,
    opts: { offlineWaitMs?: number } = {},
  ): Promise<AckPayload> {
    const send = () => this.requestOnce(type, payload, room, opts.offlineWaitMs ?? this.offlineWaitMs);
    if (this.pacer.active) return this.pacer.run(send);
    try {
      return await send();
    } catch (err) {
      if (err instanceof PartyError && err.code === "rate_limited") return this.pacer.run(send, err);
      throw err;
    }
  }

  /**
   * `request` for a message the server takes once (it carries its own key,
   * such as chat_message `nonce`): sent again after a failure whose outcome
   * is unknown ("timeout", "disconnected" after it was written) until it is
   * acked, for up to `offlineWaitMs`, or until `taken()` says the server has
   * it by other means (then null; connection/resend.ts).
   */
  requestUntilTaken<K extends ClientType>(type: K, payload: ClientPayloads[K], taken?: () => boolean): Promise<AckPayload | null> {
    const room = this.roomId;
    return sendUntilTaken(() => this.request(type, payload, room), this.timers, this.offlineWaitMs, taken);
  }

  /** One request: waits for the connection, sends, retries `cluster_unavailable` / `server_stalled` within requestTimeoutMs. */
  private async requestOnce<K extends ClientType>(type: K, payload: ClientPayloads[K], room: string, offlineWaitMs: number): Promise<AckPayload> {
    let waitedMs = 0;
    for (;;) {
      if (this.state === "closed") throw new PartyError("closed", "The connection is closed.");
      if (this.state !== "open") await this.whenOpen(offlineWaitMs);
      try {
        return await this.sendRequest(type, payload, room);
      } catch (err) {
        if (!(err instanceof PartyError) || !REFUSED_BEFORE_APPLYING.has(err.code)) throw err;
        const waitMs = Math.max(100, err.retryAfterMs ?? 1000);
        waitedMs += waitMs;
        if (waitedMs > this.ackTimeoutMs) throw err;
        await new Promise<void>((resolve) => this.timers.setTimeout(resolve, waitMs));
      }
    }
  }

  /** Fire-and-forget (ping, telemetry): dropped when not connected. */
  send<K extends ClientType>(type: K, payload: ClientPayloads[K], room = this.roomId): void {
    if (this.socket?.readyState !== OPEN) return;
    this.socket.send(JSON.stringify({ type, room, client: this.clientId, payload, ts: Date.now() }));
    if (type === "ping") this.silence.asked();
  }

  close(): void {
    if (this.state === "closed") return;
    this.setState("closed");
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.pending.failAll(new PartyError("closed", "The connection was closed."));
    for (const w of this.waitingForOpen.splice(0)) w();
    const s = this.socket;
    this.socket = null;
    this.silence.heard();
    s?.close(1000, "bye");
  }

  /**
   * Gives the socket up at once, as a lost network would: pending requests
   * fail "disconnected", and the connection reconnects with backoff. The old
   * socket is closed without waiting for its closing handshake (a dead path
   * never completes one); anything it still delivers is ignored.
   */
  drop(reason = "dropped"): void {
    const s = this.socket;
    if (!s) return;
    this.onClose(s, 4999, reason);
    try {
      s.close(4999, reason.slice(0, 120)); // a close reason is at most 123 bytes
    } catch {
      // already closing
    }
  }

  private sendRequest<K extends ClientType>(type: K, payload: ClientPayloads[K], room: string): Promise<AckPayload> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new PartyError("disconnected", "Not connected."));
    }
    return this.pending.start(type, (id) => {
      socket.send(JSON.stringify({ type, room, client: this.clientId, payload, ts: Date.now(), id }));
      this.silence.asked();
    });
  }

  private whenOpen(waitMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.waitingForOpen = this.waitingForOpen.filter((w) => w !== done);
        reject(new PartyError("disconnected", `Not connected to the party server for ${Math.round(waitMs / 1000)} s.`, undefined, undefined, true));
      }, waitMs);
      const done = () => {
        this.timers.clearTimeout(timer);
        if (this.state === "open") resolve();
        else reject(new PartyError("closed", "The connection is closed."));
      };
      this.waitingForOpen.push(done);
    });
  }

  private open(): void {
    this.setState(this.attempt === 0 && !this.hadSession ? "connecting" : "reconnecting");
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch (err) {
      this.emit("fatal", new PartyError("closed", `Cannot open ${this.options.url}: ${String(err)}`));
      this.setState("closed");
      return;
    }
    this.socket = socket;
    this.openedAt = this.now();
    this.silence.heard();
    this.silence.asked(); // the server's client_hello
    socket.onmessage = (ev) => this.onFrame(socket, ev.data);
    socket.onclose = (ev) => this.onClose(socket, ev.code, ev.reason);
    socket.onerror = () => {};
  }

  private onFrame(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    this.silence.heard();
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === "client_hello") {
      if (this.openedAt !== null) this.roundTrips.note(this.now() - this.openedAt); // the upgrade: at least one round trip
      this.openedAt = null;
      void this.handshake(msg.payload.client_id, msg.payload.resume_token);
    } else if (msg.type === "resumed") {
      this.clientId = msg.payload.client_id;
      this.resumeToken = msg.payload.resume_token;
    } else if (msg.type === "ack") {
      this.pending.resolve(String(msg.payload.id), msg.payload);
    } else if (msg.type === "error" && msg.payload.ref !== undefined) {
      const { code, message, details, retry_after_ms } = msg.payload;
      this.pending.reject(String(msg.payload.ref), new PartyError(code, message, details, retry_after_ms));
    }
    this.emit("message", msg);
  }

  /**
   * resume (with a stored token), then hello. A refused hello for auth ends
   * the connection (`fatal`); any other failure on a socket that is still
   * open (no ack within requestTimeoutMs, a refusal) drops that socket, so the
   * connection reconnects with backoff instead of waiting on it for ever.
   */
  private async handshake(freshId: string, freshToken: string): Promise<void> {
    const socket = this.socket;
    const retry = (why: string) => {
      if (socket && socket === this.socket) socket.close(1000, `handshake failed (${why})`.slice(0, 120)); // a close reason is at most 123 bytes
    };
    const previous = this.resumeToken;
    let resumed = false;
    let lost = false;
    this.clientId = freshId;
    if (previous) {
      try {
        await this.sendRequest("resume", { resume_token: previous }, "");
        resumed = true;
      } catch (err) {
        if (!(err instanceof PartyError) || err.code !== "resume_failed") return retry(errorCode(err)); // dropped: reconnecting already
        lost = true;
      }
    }
    if (!resumed) {
      this.clientId = freshId;
      this.resumeToken = freshToken;
      this.roomId = "";
    }
    try {
      const { displayName, token } = this.options;
      await this.sendRequest("hello", {
        protocol: PROTOCOL_VERSION,
        ...(displayName ? { display_name: displayName } : {}),
        ...(token ? { token } : {}),
      }, this.roomId);
    } catch (err) {
      if (err instanceof PartyError && ["auth_required", "auth_failed", "forbidden"].includes(err.code)) {
        this.emit("fatal", err);
        this.close();
        return;
      }
      return retry(errorCode(err));
    }
    this.attempt = 0;
    this.hadSession = true;
    this.setState("open");
    for (const w of this.waitingForOpen.splice(0)) w();
    this.emit("session", { clientId: this.clientId, resumed, lost });
  }

  private onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.silence.heard();
    this.pending.failAll(new PartyError("disconnected", `Connection lost (${code}${reason ? ` ${reason}` : ""}).`));
    if (this.state === "closed") return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.emit("fatal", new PartyError(code === 4001 ? "auth_failed" : "closed", reason || `closed with ${code}`));
      this.close();
      return;
    }
    const delayMs = backoffDelayMs(this.attempt++, this.backoff);
    this.setState("reconnecting", delayMs);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state !== "closed") this.open();
    }, delayMs);
  }

  private setState(state: ConnectionState, delayMs?: number): void {
    this.state = state;
    this.emit("state", delayMs === undefined ? { state } : { state, delayMs });
  }
}
