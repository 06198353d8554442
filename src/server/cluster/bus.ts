/**
 * Messages between instances, over Redis pub/sub: each instance listens on
 * `to:<its id>`. Frames for sockets on another instance are grouped per
 * gateway: every frame sent in one turn of the event loop (a broadcast is
 * one loop over the members) goes out in one publish, each frame once with
 * the ids of its recipients on that gateway. One publisher connection keeps
 * the order of what one instance sends to another.
 */
import type { Redis } from "ioredis";
import type { Identity } from "../core/session.js";
import type { ClusterKeys } from "./keys.js";

/** What moves with a session from one instance to another. */
export interface SessionSnap {
  id: string;
  name: string;
  extended: boolean;
  identity: Identity | null;
  resumeToken: string;
  ip: string | null;
  leaving: boolean;
}

/** `c` is always the socket's key on its gateway `g` (the id it got when it connected there). */
export type BusMessage =
  /**
   * An inbound frame of a socket on `g` for the session's home, received at
   * `at`; published at `s` (a frame read after the gateway stood still: its
   * last tick before), cluster time: the home refuses it when Redis held it
   * too long (bus-inbound.ts).
   */
  | { t: "in"; c: string; g: string; d: string; at: number; s?: number }
  /** Outbound frames for sockets on the receiving gateway: [frame, keys][]. */
  | { t: "out"; b: Array<[string, string[]]> }
  /** The socket closed on its gateway. */
  | { t: "closed"; c: string; g: string }
  /** A round trip measured on the socket at its gateway, ms. */
  | { t: "rtt"; c: string; g: string; ms: number }
  /** The gateway missed frames (its subscriber was down): send the socket's session its room's state again. */
  | { t: "resync"; c: string; g: string }
  /** The home closes the socket (server-side close). */
  | { t: "close"; c: string; code: number; reason: string }
  /** Run this session here and handle `d` (join_room or resume for a room owned here). */
  | { t: "adopt"; c: string; g: string; s: SessionSnap; d: string; at: number }
  /** Bind the socket to member `client` of `room` (failover: the room was restored here), without a new token. */
  | { t: "bind"; c: string; g: string; client: string; room: string }
  /** The socket's session now lives on `home`. */
  | { t: "homed"; c: string; home: string; client: string }
  /** The home no longer holds the socket's room (fenced out, shut down): find its new owner. */
  | { t: "rehome"; c: string; h: string };

export class Bus {
  private outbox = new Map<string, Array<[string, string[]]>>();
  private flushQueued = false;
  /** Publishes that failed (Redis unreachable), for logs and metrics. */
  failures = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
  ) {}

  /** `onFail`: Redis did not take the message (unreachable, or no answer within its command timeout). */
  publish(instance: string, msg: BusMessage, onFail?: () => void): void {
    this.redis.publish(this.keys.to(instance), JSON.stringify(msg)).catch(() => {
      this.failures++;
      onFail?.();
    });
  }

  /** Queues `frame` for socket `key` on `gateway`; sent with everything else of this turn. */
  out(gateway: string, key: string, frame: string): void {
    let list = this.outbox.get(gateway);
    if (!list) {
      list = [];
      this.outbox.set(gateway, list);
    }
    const last = list[list.length - 1];
    // The same string (a broadcast serializes once) to several sockets of one gateway: one entry.
    if (last && last[0] === frame) last[1].push(key);
    else list.push([frame, [key]]);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.flushQueued = false;
    const box = this.outbox;
    this.outbox = new Map();
    for (const [gateway, b] of box) this.publish(gateway, { t: "out", b });
  }
}
