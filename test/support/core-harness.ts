/**
 * Drives the transport-free core directly: a FakeClock, fake sockets that
 * record every frame, and clients that send envelopes exactly like the ws
 * shell would deliver them. For unit tests of room logic; no network.
 */
import type { ServerOptions } from "../../src/server/config.js";
import { resolveConfig } from "../../src/server/config.js";
import type { Connection } from "../../src/server/core/connection.js";
import { type Core, createCore } from "../../src/server/core/core.js";
import type { SocketLike } from "../../src/server/core/socket.js";
import type { RoomStore } from "../../src/server/store/room-store.js";
import { FakeClock } from "./fake-clock.js";
import type { Received } from "./ws-client.js";

export class FakeSocket implements SocketLike {
  readonly frames: Received[] = [];
  closed: { code: number; reason: string } | null = null;
  bufferedAmount = 0;

  send(data: string): void {
    this.frames.push(JSON.parse(data) as Received);
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }
}

export class FakeClient {
  readonly id: string;
  readonly resumeToken: string;
  private cursor = 0;

  constructor(
    readonly harness: CoreHarness,
    public socket: FakeSocket,
    public conn: Connection,
  ) {
    const hello = socket.frames.find((f) => f.type === "client_hello");
    if (!hello) throw new Error("no client_hello on connect");
    this.id = hello.payload.client_id;
    this.resumeToken = hello.payload.resume_token;
  }

  /** Delivers one envelope `{type, room, payload, ts, client}` (+ extra) as a text frame. */
  send(type: string, payload: unknown = {}, room = "", extra: Record<string, unknown> = {}): void {
    const env = { type, room, client: this.id, payload, ts: this.harness.clock.now(), ...extra };
    this.conn.receive(JSON.stringify(env), false);
  }

  raw(data: string | Buffer, isBinary = false): void {
    this.conn.receive(data, isBinary);
  }

  get frames(): Received[] {
    return this.socket.frames;
  }

  /** All frames of `type` received so far. */
  all(type: string): Received[] {
    return this.socket.frames.filter((f) => f.type === type);
  }

  /** The last frame of `type`; throws when there is none. */
  last(type: string): Received {
    const found = this.all(type).at(-1);
    if (!found) throw new Error(`no ${type} received; got ${this.socket.frames.map((f) => f.type).join(", ")}`);
    return found;
  }

  /** Frames received since the previous call to `take` (or since connect). */
  take(type?: string): Received[] {
    const out = this.socket.frames.slice(this.cursor);
    this.cursor = this.socket.frames.length;
    return type ? out.filter((f) => f.type === type) : out;
  }

  /** The socket closes (as when ws reports close). */
  disconnect(): void {
    this.conn.closed();
  }
}

export class CoreHarness {
  readonly clock: FakeClock;
  readonly core: Core;

  /** `clock`: a clock of the test's (e.g. set to another wall time, for a restart on a stepped clock). */
  constructor(options: ServerOptions = {}, store?: RoomStore, clock: FakeClock = new FakeClock()) {
    this.clock = clock;
    this.core = createCore({ config: resolveConfig(options), clock: this.clock, ...(store ? { store } : {}) });
  }

  get hub() {
    return this.core.hub;
  }

  connect(): FakeClient {
    const socket = new FakeSocket();
    const conn = this.core.connect(socket);
    return new FakeClient(this, socket, conn);
  }

  /** Connects a new socket and resumes `token` on it. */
  async resume(token: string): Promise<FakeClient> {
    const c = this.connect();
    c.send("resume", { resume_token: token });
    await settle();
    return c;
  }

  /** Creates a room hosted by a new client and returns both. */
  createRoom(payload: Record<string, unknown> = {}): { host: FakeClient; roomId: string } {
    const host = this.connect();
    host.send("create_room", { name: "Room", start_pos: 0, ...payload });
    const roomId = host.last("room_state").room;
    return { host, roomId };
  }

  join(roomId: string): FakeClient {
    const c = this.connect();
    c.send("join_room", {}, roomId);
    c.last("room_state");
    return c;
  }
}

/** Lets pending promise callbacks run (the async `hello` handler, the frame queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
