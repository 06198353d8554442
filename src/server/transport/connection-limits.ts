/**
 * How many WebSocket connections the server takes, in all and per IP
 * address. The total is kept below the process's open-file limit (read
 * once at start), so a connection flood is refused cleanly with a coded
 * error instead of running out of descriptors (EMFILE).
 */
import { readFileSync } from "node:fs";

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
