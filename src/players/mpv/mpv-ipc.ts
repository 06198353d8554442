/**
 * A client for mpv's JSON IPC (`--input-ipc-server`): newline-delimited JSON
 * over a unix socket. Commands carry a `request_id` and resolve with the
 * reply's `data`; any `error` other than "success" rejects with MpvError.
 * Events are delivered by name; `observe()` wraps `observe_property`.
 *
 * mpv writes replies and events from one thread, in order: the reply to a
 * command always precedes events the command caused. Adapters rely on it.
 */
import { connect, type Socket } from "node:net";
import { Emitter } from "../../client/emitter.js";

/** One event object as mpv sends it (`{"event": "seek"}`, `{"event": "end-file", "reason": "eof"}`, …). */
export interface MpvEvent {
  event: string;
  [field: string]: unknown;
}

export class MpvError extends Error {
  constructor(
    /** mpv's error string, e.g. "property unavailable"; "connection closed" when the socket went away. */
    readonly mpvError: string,
    readonly command: readonly unknown[],
  ) {
    super(`mpv ${JSON.stringify(command[0])}: ${mpvError}`);
    this.name = "MpvError";
  }
}

export interface MpvCommandOptions {
  /**
   * Called synchronously when the reply is read, before any later line
   * (such as an event the command caused) is handled. A promise callback
   * would run too late when reply and event arrive in one chunk.
   */
  onReply?: (succeeded: boolean) => void;
}

interface Pending {
  command: readonly unknown[];
  onReply: ((succeeded: boolean) => void) | undefined;
  resolve(data: unknown): void;
  reject(err: Error): void;
}

export interface MpvIpcConnectOptions {
  /** Give up connecting after this long, ms (default 5000). */
  timeoutMs?: number;
}

export class MpvIpc {
  private readonly events = new Emitter<Record<string, MpvEvent>>();
  private readonly pending = new Map<number, Pending>();
  private readonly observers = new Map<number, (value: unknown) => void>();
  private nextRequestId = 1;
  private nextObserveId = 1;
  private buffered = "";
  private closedFlag = false;
  private readonly closeListeners = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  /** Connect to the IPC socket at `path`. */
  static connect(path: string, options: MpvIpcConnectOptions = {}): Promise<MpvIpc> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`mpv IPC: no connection to ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new MpvIpc(socket));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Run an mpv command (`["set_property", "pause", true]`); resolves with the reply's `data`. */
  command(args: readonly unknown[], options: MpvCommandOptions = {}): Promise<unknown> {
    if (this.closedFlag) return Promise.reject(new MpvError("connection closed", args));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { command: args, onReply: options.onReply, resolve, reject });
      this.socket.write(`${JSON.stringify({ command: args, request_id: requestId })}\n`);
    });
  }

  /**
   * Watch a property: `onChange` gets mpv's current value first (mpv always
   * sends one initial notification), then every change. Resolves, with an
   * async unobserve function, once that initial value has been delivered:
   * a write made after that is seen as a change, never folded into it.
   */
  async observe(property: string, onChange: (value: unknown) => void): Promise<() => Promise<void>> {
    const id = this.nextObserveId++;
    let initialSeen: () => void = () => {};
    const initial = new Promise<void>((resolve) => {
      initialSeen = resolve;
    });
    this.observers.set(id, (value) => {
      initialSeen();
      onChange(value);
    });
    try {
      await this.command(["observe_property", id, property]);
      await Promise.race([initial, this.closedPromise()]);
    } catch (err) {
      this.observers.delete(id);
      throw err;
    }
    return async () => {
      if (!this.observers.delete(id) || this.closedFlag) return;
      await this.command(["unobserve_property", id]);
    };
  }

  private closedPromise(): Promise<never> {
    return new Promise((_, reject) => {
      this.onClose(() => reject(new MpvError("connection closed", ["observe_property"])));
    });
  }

  /** Listen to an mpv event by name (`seek`, `playback-restart`, `end-file`, `file-loaded`, `shutdown`, …). */
  on(eventName: string, listener: (event: MpvEvent) => void): () => void {
    return this.events.on(eventName, listener);
  }

  /** Called once when the connection ends (either side). */
  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      queueMicrotask(listener);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** End the connection; pending commands reject. Idempotent. mpv keeps running. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.socket.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.observers.clear();
    for (const p of pending) p.reject(new MpvError("connection closed", p.command));
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
    this.events.removeAll();
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    for (let nl = this.buffered.indexOf("\n"); nl >= 0; nl = this.buffered.indexOf("\n")) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (line !== "") this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== "object" || parsed === null) return;
      message = parsed as Record<string, unknown>;
    } catch {
      return; // mpv only sends JSON; a broken line is not ours to interpret
    }
    if (typeof message["event"] === "string") {
      this.onEvent(message as MpvEvent);
      return;
    }
    const requestId = message["request_id"];
    if (typeof requestId !== "number") return;
    const p = this.pending.get(requestId);
    if (!p) return;
    this.pending.delete(requestId);
    const error = message["error"];
    p.onReply?.(error === "success");
    if (error === "success") p.resolve(message["data"] ?? null);
    else p.reject(new MpvError(typeof error === "string" ? error : "malformed reply", p.command));
  }

  private onEvent(event: MpvEvent): void {
    if (event.event === "property-change" && typeof event["id"] === "number") {
      this.observers.get(event["id"])?.(event["data"] ?? null);
    }
    this.events.emit(event.event, event);
  }
}
