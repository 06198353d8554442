/**
 * Mounts the core on ws (noServer): upgrade checks (path, origin, token),
 * frame delivery, heartbeats that also measure each peer's round trip.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { ServerConfig } from "../config.js";
import { CloseCodes, ErrorMessages } from "../../protocol/index.js";
import type { Connection } from "../core/connection.js";
import type { Core } from "../core/core.js";
import { AuthError, type Authenticator } from "../core/hub.js";
import { type CoreLogger, RepeatedWarning } from "../core/logger.js";
import { encode } from "../core/outgoing.js";
import type { Identity } from "../core/session.js";
import type { GatewayMetrics } from "./metrics.js";
import { ConnectionCounter, effectiveConnectionCap } from "./connection-limits.js";
import { destroyOnError, refuseUpgrade, requestPath } from "./request-guard.js";
import { PING_FRAME, textFrame, textFrameAndPing } from "./text-frame.js";
import { CONTROL_FLOOD_REASON, type ControlBudget, PROTOCOL_CLOSE_REASONS, takeControlFrame } from "./control-frames.js";
import type { TokenBucket } from "../core/rate-limiter.js";

/** Heartbeats are checked this many times per interval, so pings go out spread, not all at once. */
const HEARTBEAT_SLICES = 20;
/** How many heartbeat slices a ping may wait for a frame to ride along with before it goes out alone. */
const PING_WAIT_SLICES = 2;

/**
 * ws's socket, plus two things. A text frame (every frame the core sends)
 * goes straight to the TCP socket as one Buffer, framed once per distinct
 * text (textFrame: a broadcast's recipients share it); anything else, and
 * any socket not open, takes ws's own send. And a heartbeat ping that is due
 * leaves with the next text frame sent to this peer, in the same Buffer
 * (textFrameAndPing): one plain write and system call. Corking the socket
 * around two writes cost a writev and Node's buffered-write bookkeeping per
 * ping (docs/benchmarks.md, "Issue 14: where serve's extra CPU per delivery
 * is, piggybacked pings in one write"). A ping is the same two bytes every
 * time, written as a constant frame.
 * WebSocketServer's `WebSocket` option makes every accepted socket one of
 * these. Writing to the socket beside ws's sender is safe only because
 * ws's sender never queues here: no permessage-deflate (off in the gateway)
 * and no Blob data (the server sends strings); its own control frames
 * (ping, pong, close) go to the same socket in call order, and
 * `bufferedAmount` still counts what waits in the socket.
 */
class HeartbeatSocket extends WebSocket {
  /** Set by the gateway before accept: the TCP socket under this WebSocket. */
  tcp: Duplex | null = null;
  // The peer's state, here rather than in a record of its own (one object less per connection: docs/benchmarks.md,
  // "Issue 14, 2026-11-30 (later): memory per member").
  /** Where this socket's events go (emit), from accept until close; null before and after. */
  gateway: WsGateway | null = null;
  /** The connection this socket feeds (set on accept). */
  conn: Connection | null = null;
  /** It answered the last heartbeat ping. */
  alive = true;
  /** When the last heartbeat ping left (performance.now(), ms); 0 once its pong came (a later pong is unsolicited). */
  pingSentAt = 0;
  /** The peer's pings and unsolicited pongs, metered (control-frames.ts); null until it sends one (most never do). */
  controlBucket: TokenBucket | null = null;
  /** The heartbeat slice this peer is due in, once per interval (a random phase, so pings go out spread). */
  slice = 0;
  /**
   * A heartbeat ping waits to leave with the next frame to this peer, at the
   * latest at this time (ms); null: none waits (most of the time). Null, not
   * 0: a field that only ever held numbers would keep a boxed double per socket.
   */
  pingBy: number | null = null;

  // biome-ignore lint/suspicious/noExplicitAny: ws's send is overloaded (data, [options], [cb]); this passes all through.
  override send(data: any, options?: any, cb?: any): void {
    const tcp = this.tcp;
    // Anything but a plain text frame on an open socket takes ws's own send; a due ping then leaves at its deadline (beat()).
    if (tcp === null || this.readyState !== WebSocket.OPEN || typeof data !== "string" || options !== undefined || cb !== undefined) {
      super.send(data, options, cb);
      return;
    }
    if (this.pingBy === null) {
      tcp.write(textFrame(data));
      return;
    }
    this.pingBy = null;
    this.pingSentAt = performance.now();
    tcp.write(textFrameAndPing(data));
  }

  /** ws closes with a code alone at a protocol error (receiver error): the reason is added here (control-frames.ts). */
  // biome-ignore lint/suspicious/noExplicitAny: ws's close takes (code, string | Buffer).
  override close(code?: number, data?: any): void {
    super.close(code, data === undefined && code !== undefined ? PROTOCOL_CLOSE_REASONS[code] : data);
  }

  /** A heartbeat ping: the constant empty ping frame written to the socket when open (ws's ping builds one each time). */
  heartbeatPing(): void {
    if (this.tcp !== null && this.readyState === WebSocket.OPEN) this.tcp.write(PING_FRAME);
    else this.ping();
  }

  /**
   * An accepted socket's events go straight to its gateway, with no
   * listener registered per socket: four listeners grew each socket's
   * `_events` object and its property store, held per connection and
   * promoted as garbage during joins (docs/benchmarks.md, "Issue 14, what
   * each connection holds"). ws emits `message`, `pong`, `error` and
   * `close` on an accepted socket; `message` and `pong` have no other
   * listener, `error` reaches EventEmitter only when someone else listens
   * (an unheard `error` would throw there), and `close` reaches the
   * gateway first, then the socket's own listeners (drain's once). Before
   * accept and after close (`gateway` null), everything is EventEmitter's.
   * ws emits at most two arguments; they are passed on as given.
   */
  override emit(event: string | symbol, a?: unknown, b?: unknown): boolean {
    const gateway = this.gateway;
    if (gateway !== null) {
      if (event === "message") {
        gateway.frame(this, a as WebSocket.RawData, b as boolean);
        return true;
      }
      if (event === "pong") {
        gateway.pong(this);
        return true;
      }
      if (event === "ping") {
        gateway.ping(this, a as Buffer);
        return true;
      }
      if (event === "error") {
        gateway.socketError(a as Error);
        if (this.listenerCount("error") === 0) return true;
      } else if (event === "close") gateway.closed(this, a as number);
    }
    // biome-ignore lint/complexity/noArguments: the arguments' count is passed on unchanged (no rest array per event).
    const n = arguments.length;
    return n === 1 ? super.emit(event) : n === 2 ? super.emit(event, a) : super.emit(event, a, b);
  }
}

/** The peer address Node read at the upgrade (it keeps a socket's peer address once read). */
function remoteAddress(tcp: Duplex): string {
  return (tcp as Duplex & { remoteAddress?: string }).remoteAddress ?? "unknown";
}

export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly heartbeat: NodeJS.Timeout;
  /**
   * Every accepted socket's peer, by the heartbeat slice it is due in: a
   * beat visits one slice, not every peer. Together they are all the peers
   * (an accepted socket is its own peer record: HeartbeatSocket); no other
   * set holds them.
   */
  private readonly slices: Array<Set<HeartbeatSocket>> = Array.from({ length: HEARTBEAT_SLICES }, () => new Set());
  private slice = 0;
  /** Peers whose ping waits for a frame to ride along with (at most PING_WAIT_SLICES slices' worth). */
  private readonly pingWaiting = new Set<HeartbeatSocket>();

  private readonly counter: ConnectionCounter;
  /** "connection refused: limit reached", once and then at most every 10 s with a count: a reconnect loop is one problem, not a line per try. */
  private readonly refusals: RepeatedWarning;
  /** "upgrade refused: origin not allowed", likewise: a page that reconnects in a loop is one problem. */
  private readonly originRefusals: RepeatedWarning;
  /** "closed: control frame flood", once and then at most every 10 s with a count. */
  private readonly floodCloses: RepeatedWarning;
  private readonly controlBudget: ControlBudget;
  /** The WebSocket connection cap in force (maxConnections, lowered to fit the descriptor limit). */
  readonly connectionCap: number;

  constructor(
    private readonly core: Core,
    private readonly config: ServerConfig,
    private readonly log: CoreLogger,
    private readonly metrics: GatewayMetrics,
    private readonly authenticator: Authenticator | null,
    fdLimit: number | null,
  ) {
    this.connectionCap = effectiveConnectionCap(config.maxConnections, config.fdReserve, fdLimit);
    this.counter = new ConnectionCounter(this.connectionCap, config.maxConnectionsPerIp);
    this.refusals = new RepeatedWarning(log, "connection refused: limit reached");
    this.originRefusals = new RepeatedWarning(log, "upgrade refused: origin not allowed");
    this.floodCloses = new RepeatedWarning(log, "connection closed: control frame flood (4003)");
    this.controlBudget = { ratePerSecond: config.maxMessagesPerSecond, burst: config.messageBurst };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.hardMaxMessageBytes,
      perMessageDeflate: false,
      // Pings are answered by the gateway, within the peer's control-frame budget (ping()).
      autoPong: false,
      clientTracking: false,
      WebSocket: HeartbeatSocket,
    });
    this.heartbeat = setInterval(() => this.beat(), Math.max(1, Math.floor(config.heartbeatIntervalMs / HEARTBEAT_SLICES)));
    this.heartbeat.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, text: string, reason?: string) => {
      this.metrics.upgradeRejected(status);
      refuseUpgrade(socket, status, text, reason);
    };
    const target = requestPath(req.url);
    if (!target) return reject(400, "Bad Request", "malformed request target");
    const { url } = target;
    if (url.pathname !== this.config.wsPath) return reject(404, "Not Found");
    if (!this.originAllowed(req.headers.origin)) {
      this.originRefusals.note({ origin: req.headers.origin ?? null });
      return reject(403, "Forbidden", "origin not allowed");
    }
    if (this.core.hub.shuttingDown) return reject(503, "Service Unavailable");
    const ip = req.socket.remoteAddress ?? "unknown";
    const refusal = this.counter.refusal(ip);
    if (refusal) {
      this.metrics.upgradeRejected(503);
      this.refusals.note({ ip, code: refusal, open: this.counter.total });
      this.wss.handleUpgrade(req, socket, head, (ws) => this.refuse(ws, refusal));
      return;
    }
    this.counter.add(ip);
    socket.on("close", this.uncount);
    const token = url.searchParams.get("token");
    const identity: Promise<Identity | AuthError | null> =
      token && this.authenticator
        ? this.authenticator(token).catch((err: unknown) =>
            err instanceof AuthError ? err : new AuthError("auth_unavailable", String(err)),
          )
        : Promise.resolve(null);
    void identity.then((id) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws as HeartbeatSocket, id, ip, socket));
    });
  }

  /**
   * Browsers always send Origin, so a listed origin is what keeps other web
   * pages out. Clients that send none (the Node SDK, mpv, scripts) are not
   * pages a victim's browser could be steered to, so they are allowed unless
   * `requireOrigin` is set.
   */
  private originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return !this.config.requireOrigin;
    return this.config.allowedOrigins.length === 0 || this.config.allowedOrigins.includes(origin);
  }

  /** A connection over a limit: completes the handshake only to say why (coded error), then closes 1008. */
  private refuse(ws: WebSocket, code: "server_full" | "too_many_connections"): void {
    ws.on("error", () => ws.terminate());
    ws.send(encode("error", "", "", { code, message: ErrorMessages[code] }, this.core.hub.now()));
    ws.close(CloseCodes.POLICY_VIOLATION, code);
    setTimeout(() => ws.terminate(), this.config.closeTimeoutMs).unref();
  }

  private accept(ws: HeartbeatSocket, identity: Identity | AuthError | null, ip: string, tcp: Duplex): void {
    this.metrics.connectionOpened();
    // Before connect: its client_hello and room_list take the direct text-frame path too, not ws's send (which
    // copies and frames each one again: ≈ 4 KB allocated per joining client).
    ws.tcp = tcp;
    const conn = this.core.connect(ws, { identity: identity instanceof AuthError ? null : identity, ip });
    if (identity instanceof AuthError) {
      this.core.hub.error(conn.session, identity.code, { message: identity.message });
      if (identity.code !== "auth_unavailable") ws.close(4001, identity.code);
    }
    // A random phase per peer spreads the pings over the interval (10,000 pings in one loop stall fan-out).
    const slice = Math.floor(Math.random() * HEARTBEAT_SLICES);
    ws.conn = conn;
    ws.slice = slice;
    this.slices[slice]!.add(ws);
    // From here the address is uncounted when the WebSocket closes (closed()), so the TCP socket keeps ws's close
    // listener alone: a second one made its listener list an array per connection.
    tcp.removeListener("close", this.uncount);
    // ws's own error listener is on the socket now; the upgrade guard's goes, so `error` keeps one listener, not an array.
    tcp.removeListener("error", destroyOnError);
    ws.gateway = this;
    ws.pingSentAt = performance.now();
    ws.heartbeatPing();
  }

  /**
   * Until accepted, the TCP socket's close uncounts its address (a handshake
   * that fails or a socket that closes while its token is checked). One
   * function for every socket (`this` is the socket) instead of a `once`
   * wrapper, its state and a closure per connection.
   */
  private readonly uncount = ((gateway: WsGateway) =>
    function (this: Duplex): void {
      gateway.counter.remove(remoteAddress(this));
    })(this);

  // An accepted socket's events (HeartbeatSocket.emit): no listener per socket, each reads the socket's own peer.

  /** A frame from `peer`. */
  frame(peer: HeartbeatSocket, data: WebSocket.RawData, isBinary: boolean): void {
    this.metrics.frameReceived(Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength);
    peer.conn!.receive(data, isBinary);
  }

  /** A ping from `peer`: answered with a pong carrying its data, within the peer's control-frame budget. */
  ping(peer: HeartbeatSocket, data: Buffer): void {
    if (this.controlFrameAllowed(peer)) peer.pong(data);
  }

  /**
   * A pong from `peer`: it is alive. The answer to the last heartbeat ping
   * samples the round trip; any other (unsolicited, RFC 6455 §5.5.3) is
   * metered like a ping and samples nothing.
   */
  pong(peer: HeartbeatSocket): void {
    if (peer.pingSentAt === 0) {
      if (this.controlFrameAllowed(peer)) peer.alive = true;
      return;
    }
    peer.alive = true;
    peer.conn!.rttSample(performance.now() - peer.pingSentAt);
    peer.pingSentAt = 0;
  }

  /** Whether `peer` may send this control frame; past its budget the socket is closed with 4003 FLOODING. */
  private controlFrameAllowed(peer: HeartbeatSocket): boolean {
    if (peer.readyState !== WebSocket.OPEN) return false;
    const { bucket, ok } = takeControlFrame(peer.controlBucket, this.controlBudget, performance.now());
    peer.controlBucket = bucket;
    if (ok) return true;
    this.floodCloses.note({ client: peer.conn!.session.id, ip: peer.tcp === null ? null : remoteAddress(peer.tcp) });
    this.core.hub.closeSocket(peer, CloseCodes.FLOODING, CONTROL_FLOOD_REASON);
    // Its close frame is on its way; the rest of the flood is not read (the socket is cut after closeTimeoutMs).
    peer.tcp?.pause();
    return false;
  }

  socketError(err: Error): void {
    this.log.debug({ err: err.message }, "socket error");
  }

  /** The WebSocket closed (once: `gateway` is cleared here): its address is uncounted and its connection closes. */
  closed(ws: HeartbeatSocket, code: number): void {
    ws.gateway = null;
    if (ws.tcp !== null) this.counter.remove(remoteAddress(ws.tcp));
    this.metrics.connectionClosed(code);
    this.slices[ws.slice]!.delete(ws);
    this.pingWaiting.delete(ws);
    ws.conn!.closed();
  }

  /**
   * Every slice (heartbeatIntervalMs / HEARTBEAT_SLICES): the peers of this
   * slice are due. One that answered the last ping gets a new one — with
   * its next frame if one comes within PING_WAIT_SLICES, else alone then;
   * one that did not answer since its last due time (one interval) is
   * dropped. A beat visits only the due slice and the pings still waiting,
   * and allocates nothing: at 5,000 connections the old scan of every peer
   * (an entry array each) was 6.5 % of the server's allocations
   * (docs/benchmarks.md, issue 14, "What the server allocates, and what gets promoted").
   */
  private beat(): void {
    const now = performance.now();
    const intervalMs = this.config.heartbeatIntervalMs;
    for (const peer of this.pingWaiting) {
      if (peer.pingBy !== null && peer.pingBy > now) continue; // still waiting for a frame to ride along with
      this.pingWaiting.delete(peer);
      if (peer.pingBy === null) continue; // it already left with a frame (HeartbeatSocket.send)
      peer.pingBy = null;
      peer.pingSentAt = now;
      peer.heartbeatPing();
    }
    this.slice = (this.slice + 1) % HEARTBEAT_SLICES;
    for (const peer of this.slices[this.slice]!) {
      if (!peer.alive) {
        this.log.info({ client: peer.conn!.session.id }, "heartbeat missed; dropping connection");
        peer.terminate();
        continue;
      }
      peer.alive = false;
      peer.pingBy = now + Math.min(intervalMs / 2, (PING_WAIT_SLICES * intervalMs) / HEARTBEAT_SLICES);
      this.pingWaiting.add(peer);
    }
  }

  get size(): number {
    let n = 0;
    for (const slice of this.slices) n += slice.size;
    return n;
  }

  private *peers(): Generator<HeartbeatSocket> {
    for (const slice of this.slices) yield* slice;
  }

  /** Waits up to `graceMs` for sockets to finish closing, then cuts the rest. */
  async drain(graceMs: number): Promise<void> {
    clearInterval(this.heartbeat);
    const open = [...this.peers()].filter((ws) => ws.readyState !== WebSocket.CLOSED);
    await Promise.race([
      Promise.all(open.map((ws) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : ws.once("close", () => r()))))),
      new Promise<void>((r) => setTimeout(r, graceMs).unref()),
    ]);
    for (const peer of [...this.peers()]) peer.terminate();
    this.wss.close();
  }
}
