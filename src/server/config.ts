/**
 * Every server option in one object: unit in the name, a safe default, and
 * why. Validated once at start-up, then frozen. docs/configuration.md lists
 * them with their flags and environment variables.
 */
import * as z from "zod/mini";
import "../protocol/zod.js"; // zod/mini with English messages
import { DEFAULT_PORT, DEFAULT_WS_PATH } from "../protocol/index.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULTS = {
  /** Port to listen on; 3001 is hard-coded in the original web client. */
  port: DEFAULT_PORT,
  host: "0.0.0.0",
  wsPath: DEFAULT_WS_PATH,
  /** Log level for pino: fatal, error, warn, info, debug, trace, silent. */
  logLevel: "info" as LogLevel,
  /** Largest accepted text frame, bytes; larger ones get `frame_too_large`. OpenWatchParty uses 64 KiB. */
  maxMessageBytes: 64 * 1024,
  /** Frames above this are cut off by the socket layer (close 1009) before they are buffered whole. */
  hardMaxMessageBytes: 1024 * 1024,
  /** Sustained inbound messages per second per connection (token bucket refill). */
  maxMessagesPerSecond: 30,
  /** Burst allowance of the token bucket. */
  messageBurst: 60,
  maxNameLength: 100,
  maxChatLength: 1000,
  maxUrlLength: 2048,
  /** Largest media position accepted, s (about 11.5 days). */
  maxPositionSeconds: 1_000_000,
  maxRooms: 10_000,
  maxMembersPerRoom: 50,
  /** Chat lines a joiner receives. */
  chatHistoryLength: 50,
  /** Rooms listed in `room_list` (largest first); keeps the list every client gets on connect small (50 × ≈ 60 B). */
  maxListedRooms: 50,
  /** Coalesces lobby `room_list` pushes, ms. */
  roomListPushDelayMs: 100,
  /** How long a dropped SDK client keeps its id, room and host role, ms. */
  resumeGraceMs: 30_000,
  /** ws ping interval; a peer that misses one is dropped, ms. Also measures RTT. */
  heartbeatIntervalMs: 15_000,
  /** Scheduling lead bounds for timeline commands, ms. */
  minLeadMs: 100,
  maxLeadMs: 1_500,
  /** Lead used when no member has reported a delay yet, ms. */
  defaultLeadMs: 300,
  /** A playing room re-announces its timeline this often (for seed clients), ms. 0 = never. */
  stateBroadcastIntervalMs: 5_000,
  /** Host reports within this distance of the timeline do not re-anchor it, s. */
  stateUpdateToleranceSeconds: 0.25,
  /** Default per-member wait when a member buffers in a "wait" room, ms. */
  defaultWaitTimeoutMs: 8_000,
  /** Sync telemetry is re-broadcast to a room at most this often, ms. */
  telemetryBroadcastIntervalMs: 1_000,
  /** Above this many queued bytes a member skips droppable updates. */
  softMaxBufferedBytes: 256 * 1024,
  /** Above this many queued bytes a member is disconnected (close 4005) and may resume. */
  maxBufferedBytes: 4 * 1024 * 1024,
  /** Accepted Origin headers; empty = any (the original client runs on the Jellyfin origin). */
  allowedOrigins: [] as string[],
  /** Jellyfin server URL; when set, clients must present a Jellyfin access token. */
  jellyfinUrl: null as string | null,
  /** How long a validated Jellyfin token is trusted before asking Jellyfin again, ms. */
  authCacheMs: 60_000,
  /** Jellyfin server URL to serve through this server (zero-install mode: index.html gets /jellyfin.js). */
  proxyJellyfin: null as string | null,
  /** SQLite file for rooms and resumable sessions; null keeps them in memory (lost on restart). */
  dataFile: null as string | null,
  /** Room changes are written to the store at most this often, ms (a crash loses at most this much). */
  persistIntervalMs: 1_000,
  /** Grace period for clients to leave on SIGTERM before sockets are closed, ms. */
  shutdownGraceMs: 500,
  // party page (issue 10)
  /** Base URL friends use to open the page (e.g. https://party.example.com/party/); invite links start with it. null: the page's own address (or the LAN guess when opened on localhost). */
  publicUrl: null as string | null,
  /** A member whose page said `leaving` (tab closing or reloading) keeps its seat this long, ms: a reload resumes, a closed tab frees the seat. */
  leavingGraceMs: 5_000,
  // Stalls (issue 9): a stall shorter than this is caught up by correction, not waited for.
  /** A member's `ready:false` pauses a "wait" room only once it has lasted this long, ms. */
  stallPauseAfterMs: 1_000,
  /** A member whose stalls paused the room this many times within the window is no longer waited for. */
  stallCapCount: 3,
  /** The stall cap's window, ms. */
  stallCapWindowMs: 300_000,
  // ── TLS and metrics (issue 13) ──
  /** PEM certificate (chain) file; with tlsKeyFile the server speaks HTTPS/WSS on `port`. Re-read on change or SIGHUP. */
  tlsCertFile: null as string | null,
  /** PEM private key file of tlsCertFile. */
  tlsKeyFile: null as string | null,
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: null as string | null,
  /** When set, /metrics is served only on this port (bound to metricsHost), not on the public port. 0 = any free port. */
  metricsPort: null as number | null,
  /** Address of the separate metrics listener. */
  metricsHost: "127.0.0.1",
  // Hardening (issue 11): connection ends and abuse limits.
  /** A socket the server closes (slow consumer, replaced session) is destroyed if its close handshake takes longer, ms. */
  closeTimeoutMs: 2_000,
  /** Open WebSocket connections allowed from one IP address, and half the TCP connections of any kind it may hold; 0 = no limit. Behind a reverse proxy every client shares its address: raise this. */
  maxConnectionsPerIp: 64,
  /** Open WebSocket connections in all; also kept below the process's file-descriptor limit (read at start), so descriptors never run out. */
  maxConnections: 10_000,
  /** Descriptors kept free below the limit for HTTP requests, the data file and logs. */
  fdReserve: 256,
  /** Rooms that clients from one IP address may hold open at once (created and not yet closed, including rooms held for the resume grace); 0 = no limit. */
  maxRoomsPerIp: 16,
  /** Deepest nesting of arrays/objects accepted in a frame, checked before parsing. */
  maxJsonDepth: 16,
  /** Most values (array items, object members) accepted in a frame, checked before parsing. */
  maxJsonValues: 1_024,
  /** Refuse WebSocket upgrades that carry no Origin header (only browsers send one). Off: the SDK and mpv send none. */
  requireOrigin: false,
  // ── Cluster mode on Redis (issue 12) ──
  /** Redis URL (redis://host:6379/0); when set, this instance joins a cluster of instances sharing rooms through Redis. null: one instance, no Redis touched. */
  redisUrl: null as string | null,
  /** An instance whose heartbeat key is older than this is dead: its rooms move to the others, ms. Renewed every quarter of it. */
  clusterInstanceTtlMs: 1_000,
  /** Prefix of every Redis key and channel of this cluster (several clusters may share one Redis). */
  clusterKeyPrefix: "osp:",
};

export type ServerConfig = Readonly<typeof DEFAULTS>;
export type ServerOptions = Partial<typeof DEFAULTS>;

const positiveInt = z.number().check(z.int(), z.positive());
const nonNegInt = z.number().check(z.int(), z.minimum(0));
const httpUrl = z.nullable(z.url({ protocol: /^https?$/ }));
const path = z.nullable(z.string().check(z.minLength(1)));

const schema = z
  .strictObject({
    port: z.number().check(z.int(), z.minimum(0), z.maximum(65535)),
    host: z.string().check(z.minLength(1)),
    wsPath: z.string().check(z.startsWith("/")),
    logLevel: z.enum(LOG_LEVELS),
    maxMessageBytes: positiveInt,
    hardMaxMessageBytes: positiveInt,
    maxMessagesPerSecond: z.number().check(z.positive()),
    messageBurst: positiveInt,
    maxNameLength: positiveInt,
    maxChatLength: positiveInt,
    maxUrlLength: positiveInt,
    maxPositionSeconds: z.number().check(z.positive()),
    maxRooms: positiveInt,
    maxMembersPerRoom: positiveInt,
    chatHistoryLength: nonNegInt,
    maxListedRooms: positiveInt,
    roomListPushDelayMs: nonNegInt,
    resumeGraceMs: nonNegInt,
    heartbeatIntervalMs: positiveInt,
    minLeadMs: nonNegInt,
    maxLeadMs: positiveInt,
    defaultLeadMs: nonNegInt,
    stateBroadcastIntervalMs: nonNegInt,
    stateUpdateToleranceSeconds: z.number().check(z.minimum(0)),
    defaultWaitTimeoutMs: nonNegInt,
    telemetryBroadcastIntervalMs: nonNegInt,
    softMaxBufferedBytes: positiveInt,
    maxBufferedBytes: positiveInt,
    allowedOrigins: z.array(z.string()),
    jellyfinUrl: httpUrl,
    authCacheMs: nonNegInt,
    proxyJellyfin: httpUrl,
    shutdownGraceMs: nonNegInt,
    dataFile: path,
    persistIntervalMs: nonNegInt,
    publicUrl: httpUrl,
    leavingGraceMs: nonNegInt,
    stallPauseAfterMs: nonNegInt,
    stallCapCount: positiveInt,
    stallCapWindowMs: nonNegInt,
    tlsCertFile: path,
    tlsKeyFile: path,
    metricsToken: z.nullable(z.string().check(z.minLength(16, "metricsToken must be at least 16 characters"))),
    metricsPort: z.nullable(z.number().check(z.int(), z.minimum(0), z.maximum(65535))),
    metricsHost: z.string().check(z.minLength(1)),
    closeTimeoutMs: positiveInt,
    maxConnectionsPerIp: nonNegInt,
    maxConnections: positiveInt,
    fdReserve: nonNegInt,
    maxRoomsPerIp: nonNegInt,
    maxJsonDepth: positiveInt,
    maxJsonValues: positiveInt,
    requireOrigin: z.boolean(),
    redisUrl: z.nullable(z.string().check(z.regex(/^rediss?:\/\//, "redisUrl must start with redis:// or rediss://"))),
    clusterInstanceTtlMs: z.number().check(z.int(), z.minimum(100)),
    clusterKeyPrefix: z.string().check(z.minLength(1)),
  })
  .check(
    z.refine((c) => c.hardMaxMessageBytes >= c.maxMessageBytes, "hardMaxMessageBytes must be ≥ maxMessageBytes"),
    z.refine((c) => c.minLeadMs <= c.maxLeadMs, "minLeadMs must be ≤ maxLeadMs"),
    z.refine((c) => c.softMaxBufferedBytes <= c.maxBufferedBytes, "softMaxBufferedBytes must be ≤ maxBufferedBytes"),
    z.refine((c) => (c.tlsCertFile === null) === (c.tlsKeyFile === null), "tlsCertFile and tlsKeyFile go together: give both or neither"),
  );

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Merges options over the defaults, validates, and freezes. Throws ConfigError listing every problem. */
export function resolveConfig(options: ServerOptions = {}): ServerConfig {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const r = schema.safeParse({ ...DEFAULTS, ...defined });
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const allowedOrigins = normalizeOrigins(r.data.allowedOrigins);
  return Object.freeze({ ...r.data, allowedOrigins: Object.freeze(allowedOrigins) }) as ServerConfig;
}

// allowedOrigins (new-user findings 7): `*` and origins written as URLs.
/**
 * `allowedOrigins` as the gateway compares them with a browser's `Origin`
 * header: `*` anywhere means any origin (the CORS convention), i.e. [];
 * each other entry must be an origin, `scheme://host[:port]` (a trailing
 * `/` is dropped; case and default ports are normalised as browsers send
 * them). A path, query or anything unparsable throws ConfigError, instead
 * of starting a server that refuses every browser.
 */
export function normalizeOrigins(list: readonly string[]): string[] {
  if (list.includes("*")) return [];
  const bad: string[] = [];
  const out = list.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {}
    const origin = url?.origin;
    if (!url || !origin || origin === "null" || url.pathname !== "/" || url.search || url.hash || url.username) {
      bad.push(entry);
      return entry;
    }
    return origin;
  });
  if (bad.length) {
    throw new ConfigError(
      `Invalid configuration:\n  allowedOrigins: ${bad.map((b) => `"${b}"`).join(", ")} ${bad.length > 1 ? "are not origins" : "is not an origin"}: ` +
        "write scheme://host[:port] with no path (e.g. https://jellyfin.example.com), or * for any origin",
    );
  }
  return out;
}
