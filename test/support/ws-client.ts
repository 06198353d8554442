/**
 * A raw protocol client for tests: sends envelopes exactly as given, keeps
 * every message it receives, and waits for messages by type and predicate
 * (no sleeps). `speakSeed()` helpers send exactly what the original web
 * client sends.
 */
import type { TestContext } from "node:test";
import WebSocket from "ws";

export interface Received {
  type: string;
  room: string;
  client: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary payloads
  payload: any;
  ts: number;
  server_ts: number;
}

export class TestClient {
  readonly messages: Received[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;
  clientId = "";

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      // Every server frame is a text frame (seed clients JSON.parse event.data, a Blob would break them).
      if (isBinary) throw new Error(`the server sent a binary frame: ${data.toString().slice(0, 200)}`);
      const msg = JSON.parse(data.toString()) as Received;
      if (msg.type === "client_hello") this.clientId = msg.payload.client_id;
      this.messages.push(msg);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", (code) => {
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /**
   * Opens a socket and waits for `client_hello` (or, with `awaitHello:
   * false`, only for the open, for connections the server refuses after
   * the handshake). `localAddress` picks the source address (127.0.0.x).
   */
  static async connect(
    t: Pick<TestContext, "after">,
    url: string,
    opts: { headers?: Record<string, string>; localAddress?: string; awaitHello?: boolean; handshakeTimeoutMs?: number } = {},
  ): Promise<TestClient> {
    const ws = new WebSocket(url, {
      headers: opts.headers,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      // A connection the server never accepts (its descriptors are gone) fails after this instead of waiting for ever.
      ...(opts.handshakeTimeoutMs ? { handshakeTimeout: opts.handshakeTimeoutMs } : {}),
    });
    const c = new TestClient(ws);
    t.after(() => c.close());
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    if (opts.awaitHello !== false) await c.next("client_hello");
    return c;
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends `{type, room, payload, ts}` (+ client once known), as the original client does. */
  send(type: string, payload: unknown = {}, room = "", extra: Record<string, unknown> = {}): void {
    const env: Record<string, unknown> = { type, room, payload, ts: Date.now(), ...extra };
    if (this.clientId) env.client = this.clientId;
    this.ws.send(JSON.stringify(env));
  }

  /**
   * The next message (after the last one consumed) of `type` matching
   * `predicate`; earlier non-matching messages are skipped, not lost for
   * `all()`. Rejects after `timeoutMs` with what was received.
   */
  async next(type: string, predicate: (m: Received) => boolean = () => true, timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.messages.length) {
        const m = this.messages[this.cursor++]!;
        if (m.type === type && predicate(m)) return m;
      }
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.messages.map((m) => m.type).join(", ");
        throw new Error(`timed out waiting for ${type}; received: ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Shorthand for the next `error` with a given code. */
  async error(code: string, timeoutMs = 5000): Promise<Received> {
    return this.next("error", (m) => m.payload.code === code, timeoutMs);
  }

  /** Round trip through the server: everything the server sent before the pong has arrived. */
  async flush(): Promise<void> {
    const marker = Math.random();
    this.send("ping", { client_ts: marker });
    await this.next("pong", (m) => m.payload.client_ts === marker);
  }

  /** Messages of `type` received so far (all of them, consumed or not). */
  all(type: string): Received[] {
    return this.messages.filter((m) => m.type === type);
  }

  async waitClosed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === null) {
      if (Date.now() > deadline) throw new Error("socket did not close");
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.closeCode;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }

  /** Cuts the TCP connection without a close frame (a dropped Wi-Fi). */
  drop(): void {
    this.ws.terminate();
  }
}
