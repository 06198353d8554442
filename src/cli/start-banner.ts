/** The few lines `opensyncparty serve` prints on a terminal: where to open the party, where rooms are kept, how to stop. */
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";

export interface BannerInput {
  version: string;
  /** `http(s)://host:port` as the server reports it. */
  httpUrl: string;
  wsPath: string;
  /** The address the server was asked to listen on. */
  host: string;
  dataFile: string | null;
  metricsUrl: string | null;
  /** Cluster mode: the Redis host:port rooms are kept in (no password). */
  redis?: string | null;
}

/** This machine's IPv4 addresses others on the LAN can reach (not loopback). */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) out.push(a.address);
  }
  return out;
}

export function startBanner(b: BannerInput, lan: string[] = lanAddresses()): string {
  const url = new URL(b.httpUrl);
  const wildcard = b.host === "0.0.0.0" || b.host === "::";
  const others = wildcard ? lan.map((ip) => `${url.protocol}//${ip}:${url.port}/`) : [];
  const ws = `${url.protocol === "https:" ? "wss" : "ws"}://${others.length ? new URL(others[0]!).host : url.host}${b.wsPath}`;
  const lines = [
    `OpenSyncParty ${b.version} is running.`,
    `  Open ${url.origin}/ in a browser on this computer${others.length ? "," : "."}`,
    ...others.map((o, i) => `       ${o}${i === others.length - 1 ? " from other devices on your network." : ","}`),
    `  Jellyfin plugin and mpv connect to ${ws}`,
    b.redis
      ? `  Cluster mode: rooms are kept in Redis at ${b.redis}, shared with the other instances.`
      : b.dataFile
        ? `  Rooms are kept in ${resolve(b.dataFile)}` : "  Rooms are kept in memory only (--data-file none): a restart ends them.",
    ...(b.metricsUrl ? [`  Metrics: ${b.metricsUrl}`] : []),
    "  Press Ctrl+C to stop.",
  ];
  return `${lines.join("\n")}\n`;
}
