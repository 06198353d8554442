/**
 * A socket that lives on another instance (its gateway), as the home of
 * its session sees it: `send` queues the frame for the gateway (grouped per
 * gateway, bus.ts), `close` asks the gateway to close it. The gateway
 * enforces slow-consumer limits on the real socket, so nothing is queued
 * here (`bufferedAmount` 0).
 */
import type { SocketLike } from "../core/socket.js";
import type { Bus } from "./bus.js";

export class RemoteSocket implements SocketLike {
  readonly bufferedAmount = 0;
  readonly relayed = true;
  /** Set when the home stops serving this socket (shut down, room moved): nothing more is sent. */
  detached = false;

  constructor(
    private readonly bus: Bus,
    readonly gateway: string,
    readonly key: string,
  ) {}

  send(data: string): void {
    if (!this.detached) this.bus.out(this.gateway, this.key, data);
  }

  close(code: number, reason: string): void {
    if (this.detached) return;
    this.bus.publish(this.gateway, { t: "close", c: this.key, code, reason });
  }
}
