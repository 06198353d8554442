/**
 * A WebSocket client on a bare TCP socket, for frames no WebSocket library
 * sends: floods of pings or pongs, reserved bits, unmasked or fragmented
 * control frames, invalid UTF-8, bad close codes, absurd lengths. It
 * completes the handshake, then records every frame the server sends and
 * the close code and reason it gives (null when the socket ended without a
 * close frame: the 1006 a browser would report).
 */
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import type { TestContext } from "node:test";

export const Opcode = { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

/** One client frame: masked unless `mask: false`; `rsv` is the three reserved bits (0–7); `length` overrides the length field. */
export function clientFrame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  opts: { fin?: boolean; mask?: boolean; rsv?: number; length?: bigint } = {},
): Buffer {
  const body = Buffer.from(payload);
  const len = opts.length ?? BigInt(body.length);
  const head = len < 126n ? Buffer.alloc(2) : len < 65_536n ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (opts.fin === false ? 0 : 0x80) | ((opts.rsv ?? 0) << 4) | opcode;
  if (head.length === 2) head[1] = Number(len);
  else if (head.length === 4) {
    head[1] = 126;
    head.writeUInt16BE(Number(len), 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(len, 2);
  }
  if (opts.mask === false) return Buffer.concat([head, body]);
  head[1]! |= 0x80;
  const key = randomBytes(4);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([head, key, body]);
}

export interface RawFrame {
  opcode: number;
  data: Buffer;
}

export class RawWebSocket {
  readonly frames: RawFrame[] = [];
  /** The server's close frame: code (1005 when it had none) and reason; null until one came. */
  close: { code: number; reason: string } | null = null;
  ended = false;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {}

  /** Opens `path` on 127.0.0.1:`port` and resolves once the server answered 101. */
  static open(t: Pick<TestContext, "after">, port: number, path = "/ws"): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      const raw = new RawWebSocket(socket);
      t.after(() => socket.destroy());
      let head = "";
      socket.on("error", () => {});
      socket.on("close", () => raw.finish());
      socket.on("data", function onHead(d: Buffer) {
        raw.buf = Buffer.concat([raw.buf, d]);
        const end = raw.buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        head = raw.buf.subarray(0, end).toString("latin1");
        raw.buf = raw.buf.subarray(end + 4);
        socket.off("data", onHead);
        if (!head.startsWith("HTTP/1.1 101")) return reject(new Error(`handshake refused: ${head.split("\r\n")[0]}`));
        socket.on("data", (chunk: Buffer) => raw.read(chunk));
        raw.read(Buffer.alloc(0));
        resolve(raw);
      });
      const key = randomBytes(16).toString("base64");
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      socket.once("close", () => reject(new Error(`closed during the handshake: ${JSON.stringify(head)}`)));
    });
  }

  /** The server's JSON messages so far. */
  messages(): Array<{ type: string; payload: { code?: string } & Record<string, unknown> }> {
    return this.frames.filter((f) => f.opcode === Opcode.TEXT).map((f) => JSON.parse(f.data.toString("utf8")));
  }

  count(opcode: number): number {
    return this.frames.filter((f) => f.opcode === opcode).length;
  }

  /** Writes bytes; resolves when the socket took them (or at once if it is gone). */
  write(bytes: Buffer): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((r) => {
      if (this.socket.write(bytes)) r();
      else {
        this.socket.once("drain", r);
        this.socket.once("close", r);
      }
    });
  }

  /** Resolves once the TCP socket ended (with or without a close frame), or rejects naming `what` after `timeoutMs`. */
  closed(what: string, timeoutMs = 15_000): Promise<{ code: number; reason: string } | null> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.ended) return false;
        clearTimeout(timer);
        resolve(this.close);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`${what}: the server did not close the socket within ${timeoutMs} ms`)), timeoutMs);
      if (!check()) this.waiters.push(() => void check());
    });
  }

  private read(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    let i = 0;
    const b = this.buf;
    while (i + 2 <= b.length) {
      let len = b[i + 1]! & 0x7f;
      let off = i + 2;
      if (len === 126) {
        if (off + 2 > b.length) break;
        len = b.readUInt16BE(off);
        off += 2;
      } else if (len === 127) {
        if (off + 8 > b.length) break;
        len = Number(b.readBigUInt64BE(off));
        off += 8;
      }
      if (off + len > b.length) break;
      const frame = { opcode: b[i]! & 0x0f, data: b.subarray(off, off + len) };
      if (frame.opcode === Opcode.CLOSE) {
        this.close = { code: len >= 2 ? frame.data.readUInt16BE(0) : 1005, reason: frame.data.subarray(2).toString("utf8") };
      }
      this.frames.push(frame);
      i = off + len;
    }
    this.buf = b.subarray(i);
  }

  private finish(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w();
  }
}
