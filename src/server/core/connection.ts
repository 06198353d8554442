/**
 * One live socket: turns raw frames into validated messages, applies the
 * per-connection limits, runs the handler, and answers with an ack or a
 * coded error. Frames are handled strictly in order, even across an
 * asynchronous handler (hello with a token).
 */
import { type ClientType, CloseCodes, type ErrorCode, ErrorMessages, type ErrorPayload } from "../../protocol/index.js";
import { quickEnvelope } from "../../protocol/quick-validate.js";
import { type ParsedEnvelope, isClientType, validateEnvelope, validatePayload } from "../../protocol/schemas.js";
import type { RemoteHome } from "./cluster-hooks.js";
import { type AckExtra, type Handler, type HandlerContext, Refusal } from "./handlers/context.js";
import { handlers } from "./handlers/index.js";
import { frameRef, usableRef } from "./frame-ref.js";
import type { Hub } from "./hub.js";
import { endSession } from "./membership.js";
import { type JsonLimits, jsonComplexity } from "./json-limits.js";
import { flushRooms } from "./persistence.js";
import { announceMemberChange } from "./room-views.js";
import { STALE_SENSITIVE } from "./stall-watch.js";
import type { Session } from "./session.js";
import type { SocketLike } from "./socket.js";

/**
 * Messages whose changes are written behind (within persistIntervalMs)
 * rather than before the reply: frequent, and nothing a client would need
 * after a crash (the host's periodic position, telemetry, clock pings).
 */
const WRITE_BEHIND: ReadonlySet<ClientType> = new Set(["ping", "sync_report", "state_update"]);

/** Refusals (and frames) waiting behind an asynchronous handler beyond which a flooding connection is closed (4003). */
const MAX_QUEUED_REPLIES = 1024;

export type RawFrame = string | Buffer | ArrayBuffer | Buffer[];

function frameBytes(data: RawFrame): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function frameText(data: RawFrame): string {
  if (typeof data === "string") return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  // Decode a Buffer in place: Buffer.from(buffer) would copy it first.
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** A frame to handle, or a refusal decided on arrival; both wait their turn so replies keep the frames' order. */
type Inbound = { text: string; at: number; stalled?: boolean } | { refusal: ErrorCode; extra: Partial<Omit<ErrorPayload, "code">> };

const CLOSED_ALREADY = (): void => {};

export class Connection {
  /** Frames (and refusals) that arrived while an asynchronous handler was still running; null until one does (most connections never queue). */
  private queue: Inbound[] | null = null;
  private waiting = false;
  /** The id the socket got when it connected; names it across instances in cluster mode (never changes). */
  readonly key: string;
  /** Cluster mode: the session lives on another instance; frames go there (see cluster-hooks.ts). */
  remote: RemoteHome | null = null;

  constructor(
    private readonly hub: Hub,
    private readonly socket: SocketLike,
    public session: Session,
    /** Told once, at the first close (then a no-op: cluster paths may close a connection twice). */
    private onClosed: (conn: Connection) => void,
  ) {
    this.key = session.id;
  }

  get socketLike(): SocketLike {
    return this.socket;
  }

  /** Cluster mode: this socket's session is now `session`, here (it came back from another instance). */
  rehome(session: Session): void {
    this.remote = null;
    session.socket = this.socket;
    this.session = session;
  }

  /** Cluster mode: a frame another instance's socket received, limits applied there, at `at` (cluster time). */
  receiveForwarded(text: string, at: number): void {
    if (this.session.socket !== this.socket) return;
    this.accept({ text, at });
  }

  /**
   * Cluster mode: a forwarded frame this instance will not handle (it came
   * too late to be safe: see cluster/bus-inbound.ts). A frame with an `id`
   * gets the coded refusal (in order with the other answers); one without
   * (a report) is dropped.
   */
  refuseForwarded(text: string, code: ErrorCode, extra: Partial<Omit<ErrorPayload, "code" | "ref">>): void {
    if (this.session.socket !== this.socket) return;
    const ref = Buffer.byteLength(text) <= this.hub.config.maxMessageBytes ? frameRef(text, this.limits()) : undefined;
    if (ref !== undefined) this.accept({ refusal: code, extra: { ...extra, ref } });
  }

  /**
   * Limits are applied as frames arrive (the rate is about arrival); the
   * answers, refusals included, go out in the order the frames came.
   */
  receive(data: RawFrame, isBinary: boolean): void {
    const { hub, session } = this;
    if (session.socket !== this.socket && !this.remote) return;
    const now = hub.now();
    if (!session.bucket.take(now)) return this.overRate(data, isBinary, now);
    if (isBinary) return this.accept({ refusal: "binary_frame", extra: {} });
    const bytes = frameBytes(data);
    if (bytes > hub.config.maxMessageBytes) {
      return this.accept({
        refusal: "frame_too_large",
        extra: { message: `Frame of ${bytes} bytes exceeds the limit of ${hub.config.maxMessageBytes}.` },
      });
    }
    // Usual case: nothing pending, so the frame is handled right here, synchronously.
    if (hub.stall.stalledAt(now)) return this.accept({ text: frameText(data), at: now, stalled: true });
    this.accept({ text: frameText(data), at: now });
  }

  /**
   * A frame over the rate limit is dropped unhandled. One carrying an `id`
   * is answered `rate_limited` with `ref` (every id gets an answer); others
   * share one notice a second. The answers cost what the frames did (see
   * frameRef) and go out under the slow-consumer limits (Hub.deliver); a
   * flood that piles up more than MAX_QUEUED_REPLIES answers behind a slow
   * handler is closed with 4003 FLOODING instead of queueing without bound.
   */
  private overRate(data: RawFrame, isBinary: boolean, now: number): void {
    const { hub, session } = this;
    const retry_after_ms = session.bucket.retryAfterMs();
    const bytes = isBinary ? 0 : frameBytes(data);
    const ref = bytes > 0 && bytes <= hub.config.maxMessageBytes ? frameRef(frameText(data), this.limits()) : undefined;
    if (ref === undefined) {
      if (session.rateLimitNotifiedAt !== null && now - session.rateLimitNotifiedAt < 1000) return;
      session.rateLimitNotifiedAt = now;
    } else if ((this.queue?.length ?? 0) >= MAX_QUEUED_REPLIES) {
      hub.closeSocket(this.socket, CloseCodes.FLOODING, "flooding");
      return;
    }
    this.accept({ refusal: "rate_limited", extra: ref === undefined ? { retry_after_ms } : { retry_after_ms, ref } });
  }

  private accept(item: Inbound): void {
    // A frame read after a stall may have waited since the last tick: its home judges it by that (cluster/gateway-link.ts).
    if (this.remote && !this.waiting && "text" in item) return this.remote.forward(item.text, item.at, item.stalled === true);
    if (!this.waiting) this.run(item);
    else if (this.queue === null) this.queue = [item];
    else this.queue.push(item);
  }

  /** Handles one frame; if its handler is asynchronous, later frames queue until it settles. */
  private run(item: Inbound): void {
    if ("refusal" in item) {
      this.hub.error(this.session, item.refusal, item.extra);
      return;
    }
    const pending = this.handle(item.text, item.at, item.stalled === true);
    if (!pending) return;
    this.waiting = true;
    void pending.finally(() => this.resume());
  }

  /** Handles the queued frames in order, stopping again at the next asynchronous handler. */
  private resume(): void {
    this.waiting = false;
    while (!this.waiting) {
      const next = this.queue?.shift();
      if (!next) return;
      if (this.remote) {
        // The session moved to another instance while these waited: they follow it, in order.
        if ("text" in next) this.remote.forward(next.text, next.at, next.stalled === true);
        else this.hub.error(this.session, next.refusal, next.extra);
        continue;
      }
      if (this.session.socket !== this.socket) {
        this.queue = null;
        return;
      }
      this.run(next);
    }
  }

  /** Handles one frame; returns a promise only when the handler is asynchronous. */
  private handle(text: string, receivedAt: number, stalled = false): Promise<void> | undefined {
    const { hub } = this;
    const session = this.session;
    const tooComplex = jsonComplexity(text, this.limits());
    if (tooComplex) {
      hub.error(session, "json_too_complex", { message: `The frame has ${tooComplex}.` });
      return undefined;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      hub.error(session, "bad_json");
      return undefined;
    }
    // The quick checks accept only what zod accepts and return what it would; the rest (and every refusal) is zod's.
    let envelope = quickEnvelope(raw);
    if (envelope === null) {
      const env = validateEnvelope(raw);
      if (!env.ok) {
        // The text says what is wrong (it always said "not an object with a string `type`").
        const more = env.details.length > 1 ? ` (and ${env.details.length - 1} more in details)` : "";
        // An id that is itself valid still names the request (every id gets an ack or an error with its ref).
        const ref = usableRef(raw);
        hub.error(session, "invalid_message", {
          message: `The message envelope is invalid: ${env.details[0] ?? "unknown problem"}${more}.`,
          details: env.details,
          ...(ref !== undefined ? { ref } : {}),
        });
        return undefined;
      }
      envelope = env.value;
    }
    const id = envelope.id;
    if (!isClientType(envelope.type)) {
      hub.error(session, "unknown_type", { message: `Unknown message type "${envelope.type}".`, type: envelope.type, ...(id !== undefined ? { ref: id } : {}) });
      return undefined;
    }
    const type: ClientType = envelope.type;
    const quick = type === "state_update" || type === "player_event" ? hub.quickPayloads[type](envelope.payload) : null;
    const payload = quick !== null ? { ok: true as const, value: quick } : validatePayload(hub.schemas, type, envelope.payload);
    if (!payload.ok) {
      hub.error(session, "invalid_payload", {
        message: `Invalid ${type} payload: ${payload.details.join("; ")}`,
        details: payload.details,
        type,
        ...(id !== undefined ? { ref: id } : {}),
      });
      return undefined;
    }
    if (stalled && STALE_SENSITIVE.has(type)) {
      // Read after this process stood still: it may be minutes old, and its sender may have been told it failed.
      if (id !== undefined) hub.error(session, "server_stalled", { ref: id, retry_after_ms: 0 });
      return undefined;
    }
    hub.receivedAt = receivedAt;
    hub.observer.messageIn(type);
    const ctx: HandlerContext = { hub, session, envelope, connection: this, raw: text };
    // Replies and broadcasts are held until the rooms they describe are stored (durable before handed out).
    // A write-behind message on a single instance writes nothing before its replies: they go out as produced
    // (still behind any batch awaiting a write, see Hub.sendRaw), without a held list per message.
    if (hub.cluster !== null || !WRITE_BEHIND.has(type)) hub.hold();
    // Single instance: note the rooms this handler changes, so the write before its reply covers those only.
    // (clear() makes a new table even when empty: skipped for a set that is, as after most messages.)
    if (hub.touchedRooms.size > 0) hub.touchedRooms.clear();
    hub.trackingTouched = hub.cluster === null;
    let later: Promise<void> | undefined;
    try {
      const handler = handlers[type] as Handler<unknown>;
      const result = hub.cluster ? hub.cluster.handle(ctx, this, type, payload.value, handler) : handler(ctx, payload.value);
      if (result instanceof Promise) {
        // What it changes after an await is not noted: its write covers every dirty room (settled()).
        hub.trackingTouched = false;
        later = result.then(
          (extra) => this.settled(type, () => this.finish(envelope, extra)),
          (err: unknown) => this.settled(type, () => this.fail(ctx, envelope, err)),
        );
      } else this.finish(envelope, result);
    } catch (err) {
      this.fail(ctx, envelope, err);
    }
    const released = this.storeAndRelease(type, hub.trackingTouched ? hub.touchedRooms : undefined);
    hub.trackingTouched = false;
    // An asynchronous store write holds this connection's next frame like an asynchronous handler does.
    if (later && released) return Promise.all([released, later]).then(() => undefined);
    return later ?? released;
  }

  /**
   * Writes the rooms this message changed (`touched`; every dirty room when
   * not known), then lets the held frames go: at once with a synchronous
   * store, or (returned promise) once an asynchronous store's write settled
   * and older batches left. Other dirty rooms hold changes already handed
   * out without a write (relayed state_updates, timers): they are left to
   * the write-behind flush, so a reply's transaction stays one room wide.
   */
  private storeAndRelease(type: ClientType, touched?: ReadonlySet<string>): Promise<void> | undefined {
    // While the store fails, the persist timer retries; a write per message would only fail again.
    const written = !WRITE_BEHIND.has(type) && this.hub.storeHealth.ok ? flushRooms(this.hub, touched) : undefined;
    if (written) return this.hub.releaseAfter(written);
    this.hub.release();
    return undefined;
  }

  /** The end of an asynchronous handler: its reply, too, leaves only after the store write. */
  private settled(type: ClientType, reply: () => void): Promise<void> | undefined {
    this.hub.hold();
    try {
      reply();
    } catch (err) {
      this.hub.log.error({ err, client: this.session.id, type }, "reply failed");
    }
    return this.storeAndRelease(type);
  }

  private finish(envelope: ParsedEnvelope, extra: AckExtra): void {
    // A frame that moved the session to another instance is answered there.
    if (envelope.id === undefined || envelope.type === "ping" || this.remote) return;
    this.hub.send(this.session, "ack", { id: envelope.id, ...(extra ?? {}) }, this.session.roomId ?? "");
  }

  private fail(ctx: HandlerContext, envelope: ParsedEnvelope, err: unknown): void {
    const { hub } = this;
    const ref = envelope.id !== undefined ? { ref: envelope.id } : {};
    if (err instanceof Refusal) {
      const message = err.message === err.code ? ErrorMessages[err.code] : err.message;
      hub.error(this.session, err.code, { message, type: envelope.type, ...ref, ...err.extra }, envelope.room ?? "");
      return;
    }
    hub.log.error({ err, client: ctx.session.id, type: envelope.type }, "handler failed");
    hub.error(this.session, "internal_error", { type: envelope.type, ...ref });
  }

  private limits(): JsonLimits {
    return { maxDepth: this.hub.config.maxJsonDepth, maxValues: this.hub.config.maxJsonValues };
  }

  /** Moves this connection onto `target` (a resumed session); the session it had ends. Called by the resume handler. */
  rebind(target: Session): void {
    const from = this.session;
    const old = target.socket;
    if (old && old !== this.socket) this.hub.closeSocket(old, CloseCodes.SESSION_REPLACED, "session resumed elsewhere");
    if (target.graceTimer !== null) this.hub.clock.clearTimeout(target.graceTimer);
    target.graceTimer = null;
    target.socket = this.socket;
    target.droppedAt = null;
    target.ip = from.ip;
    target.bucket = from.bucket;
    target.extended = true;
    target.leaving = false;
    this.session = target;
    from.socket = null;
    endSession(this.hub, from, "left");
  }

  /** The socket closed. Extended clients in a room keep their place for the resume grace. */
  closed(): void {
    const { hub, session } = this;
    const onClosed = this.onClosed;
    this.onClosed = CLOSED_ALREADY;
    onClosed(this);
    if (this.remote) return this.remote.closed();
    if (session.socket !== this.socket) return;
    session.socket = null;
    this.queue = null;
    // On shutdown everyone stays where they are: durable stores bring them back after the restart.
    if (hub.shuttingDown) return;
    const room = session.roomId ? hub.rooms.get(session.roomId) : undefined;
    const graceMs = session.leaving ? Math.min(hub.config.leavingGraceMs, hub.config.resumeGraceMs) : hub.config.resumeGraceMs;
    if (room && session.extended && graceMs > 0) {
      session.droppedAt = hub.now();
      session.graceTimer = hub.clock.setTimeout(() => {
        session.graceTimer = null;
        if (!session.connected) endSession(hub, session, "expired");
      }, graceMs);
      announceMemberChange(hub, room);
      return;
    }
    endSession(hub, session, "disconnected");
  }

  rttSample(ms: number): void {
    if (this.remote) this.remote.rtt?.(ms);
    else if (this.session.socket === this.socket) this.session.rttMs = ms;
  }
}
