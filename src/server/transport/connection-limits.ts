/**
 * How many WebSocket connections the server takes, in all and per IP
 * address, and how many TCP connections of any kind one address may hold. The total is kept below the process's open-file limit (read
 * once at start), so a connection flood is refused cleanly with a coded
 * error instead of running out of descriptors (EMFILE).
 */
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { type CoreLogger, RepeatedWarning } from "../core/logger.js";

/** The soft RLIMIT_NOFILE of this process, or null where it cannot be read (not Linux). */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    const n = Number(soft);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** The connection cap actually used: `maxConnections`, lowered to fit under the descriptor limit. */
export function effectiveConnectionCap(maxConnections: number, fdReserve: number, fdLimit: number | null): number {
  if (fdLimit === null) return maxConnections;
  return Math.max(1, Math.min(maxConnections, fdLimit - fdReserve));
}

/** Counts open (and opening) connections per address. */
export class ConnectionCounter {
  private readonly perIp = new Map<string, number>();
  total = 0;

  constructor(
    private readonly cap: number,
    private readonly perIpCap: number,
  ) {}

  /** Why a new connection from `ip` must be refused, or null when it may come in. */
  refusal(ip: string): "server_full" | "too_many_connections" | null {
    if (this.total >= this.cap) return "server_full";
    if (this.perIpCap > 0 && (this.perIp.get(ip) ?? 0) >= this.perIpCap) return "too_many_connections";
    return null;
  }

  /** Counts a connection from `ip`. */
  add(ip: string): void {
    this.total++;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
  }

  /** Uncounts a connection from `ip`: once per add (the gateway calls it on the socket's one close event). */
  remove(ip: string): void {
    const n = this.perIp.get(ip);
    if (n === undefined) return;
    this.total--;
    if (n <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, n - 1);
  }
}

/**
 * Every TCP connection per address, whatever it carries: HTTP requests,
 * handshakes in progress, connections that never send a byte, WebSockets.
 * The WebSocket cap (ConnectionCounter) counts only upgraded sockets, and
 * Node holds a socket that never finishes a request head for its
 * `headersTimeout` (60–90 s): without this, one address opening idle
 * sockets (slow-loris) took every slot up to Node's own cap and locked all
 * users out. An address may hold `cap` sockets (twice `maxConnectionsPerIp`,
 * so its WebSocket over the limit still gets `too_many_connections`); more
 * are destroyed at accept.
 */
export class SocketsPerAddress {
  /** Open sockets per address (no total cap: Node's maxConnections is that). */
  private readonly counter: ConnectionCounter;
  private readonly refusals: RepeatedWarning;
  /** A counted socket's `close` listener: one function for every socket (`this` is the socket), no closure per connection. */
  private readonly release: (this: Socket) => void;

  constructor(cap: number, log: CoreLogger) {
    const counter = new ConnectionCounter(Number.POSITIVE_INFINITY, cap);
    this.counter = counter;
    this.refusals = new RepeatedWarning(log, "connections refused at accept: too many sockets from one address");
    this.release = function (this: Socket): void {
      if (this.remoteAddress !== undefined) counter.remove(this.remoteAddress);
    };
  }

  /** The server's `connection` listener: counts the socket, or destroys it when its address holds the cap. */
  readonly admit = (socket: Socket): void => {
    const ip = socket.remoteAddress; // read now: Node keeps it for the close listener
    if (ip === undefined) return; // already gone
    if (this.counter.refusal(ip) !== null) {
      this.refusals.note({ ip });
      socket.destroy();
      return;
    }
    this.counter.add(ip);
    socket.on("close", this.release);
  };
}
