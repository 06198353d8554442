/** `opensyncparty serve`: flags and environment variables → createServer options. */
import { parseArgs } from "node:util";
import { type DEFAULTS, LOG_LEVELS, type ServerOptions } from "../server/config.js";
import { LOG_FORMATS, type LogFormat } from "./log-format.js";

/** Each option: its flag, its environment variable, and how to read the text. */
const OPTIONS = {
  port: { flag: "port", env: "PORT", kind: "int" },
  host: { flag: "host", env: "HOST", kind: "string" },
  wsPath: { flag: "ws-path", env: "OSP_WS_PATH", kind: "string" },
  logLevel: { flag: "log-level", env: "LOG_LEVEL", kind: "level" },
  maxMessageBytes: { flag: "max-message-bytes", env: "OSP_MAX_MESSAGE_BYTES", kind: "int" },
  maxMessagesPerSecond: { flag: "max-messages-per-second", env: "OSP_MAX_MESSAGES_PER_SECOND", kind: "number" },
  messageBurst: { flag: "message-burst", env: "OSP_MESSAGE_BURST", kind: "int" },
  maxNameLength: { flag: "max-name-length", env: "OSP_MAX_NAME_LENGTH", kind: "int" },
  maxChatLength: { flag: "max-chat-length", env: "OSP_MAX_CHAT_LENGTH", kind: "int" },
  maxRooms: { flag: "max-rooms", env: "OSP_MAX_ROOMS", kind: "int" },
  maxMembersPerRoom: { flag: "max-members-per-room", env: "OSP_MAX_MEMBERS_PER_ROOM", kind: "int" },
  chatHistoryLength: { flag: "chat-history-length", env: "OSP_CHAT_HISTORY_LENGTH", kind: "int" },
  resumeGraceMs: { flag: "resume-grace-ms", env: "OSP_RESUME_GRACE_MS", kind: "int" },
  heartbeatIntervalMs: { flag: "heartbeat-interval-ms", env: "OSP_HEARTBEAT_INTERVAL_MS", kind: "int" },
  minLeadMs: { flag: "min-lead-ms", env: "OSP_MIN_LEAD_MS", kind: "int" },
  maxLeadMs: { flag: "max-lead-ms", env: "OSP_MAX_LEAD_MS", kind: "int" },
  defaultWaitTimeoutMs: { flag: "wait-timeout-ms", env: "OSP_WAIT_TIMEOUT_MS", kind: "int" },
  allowedOrigins: { flag: "allowed-origins", env: "OSP_ALLOWED_ORIGINS", kind: "list" },
  jellyfinUrl: { flag: "jellyfin-url", env: "JELLYFIN_URL", kind: "string" },
  authCacheMs: { flag: "auth-cache-ms", env: "OSP_AUTH_CACHE_MS", kind: "int" },
  proxyJellyfin: { flag: "proxy-jellyfin", env: "JELLYFIN_PROXY_URL", kind: "string" },
  dataFile: { flag: "data-file", env: "OSP_DATA_FILE", kind: "string" },
  publicUrl: { flag: "public-url", env: "OSP_PUBLIC_URL", kind: "string" },
  leavingGraceMs: { flag: "leaving-grace-ms", env: "OSP_LEAVING_GRACE_MS", kind: "int" },
  tlsCertFile: { flag: "tls-cert", env: "OSP_TLS_CERT", kind: "string" },
  tlsKeyFile: { flag: "tls-key", env: "OSP_TLS_KEY", kind: "string" },
  metricsToken: { flag: "metrics-token", env: "OSP_METRICS_TOKEN", kind: "string" },
  metricsPort: { flag: "metrics-port", env: "OSP_METRICS_PORT", kind: "int" },
  metricsHost: { flag: "metrics-host", env: "OSP_METRICS_HOST", kind: "string" },
  // Hardening (issue 11).
  maxConnectionsPerIp: { flag: "max-connections-per-ip", env: "OSP_MAX_CONNECTIONS_PER_IP", kind: "int" },
  maxConnections: { flag: "max-connections", env: "OSP_MAX_CONNECTIONS", kind: "int" },
  maxRoomsPerIp: { flag: "max-rooms-per-ip", env: "OSP_MAX_ROOMS_PER_IP", kind: "int" },
  requireOrigin: { flag: "require-origin", env: "OSP_REQUIRE_ORIGIN", kind: "bool" },
  // Cluster mode (issue 12).
  redisUrl: { flag: "redis-url", env: "REDIS_URL", kind: "string" },
  clusterInstanceTtlMs: { flag: "cluster-instance-ttl-ms", env: "OSP_CLUSTER_INSTANCE_TTL_MS", kind: "int" },
  clusterKeyPrefix: { flag: "cluster-key-prefix", env: "OSP_CLUSTER_KEY_PREFIX", kind: "string" },
  // Issue 12: instance processes take every limit the conformance suite sets.
  hardMaxMessageBytes: { flag: "hard-max-message-bytes", env: "OSP_HARD_MAX_MESSAGE_BYTES", kind: "int" },
} as const satisfies Partial<Record<keyof typeof DEFAULTS, { flag: string; env: string; kind: string }>>;

export const SERVE_OPTIONS = OPTIONS;

/** Where `opensyncparty serve` keeps rooms unless told otherwise (relative to the working directory). */
export const CLI_DEFAULT_DATA_FILE = "data/opensyncparty.db";

export class UsageError extends Error {}

/** Whole numbers are plain decimal digits: no sign, spaces, hex (0x10), exponent (1e3) or separators. */
const WHOLE = /^[0-9]+$/;
/** Other numbers: decimal digits with an optional fraction (0.5, 30). */
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** `source` names where the text came from, as the user wrote it: `--port` or `the PORT environment variable`. */
function convert(source: string, kind: string, text: string): unknown {
  if (kind === "string") return text;
  if (kind === "list") return text.split(",").map((s) => s.trim()).filter(Boolean);
  if (kind === "bool") {
    if (/^(true|1|yes)$/i.test(text)) return true;
    if (/^(false|0|no)$/i.test(text)) return false;
    throw new UsageError(`${source} expects true or false, got "${text}"`);
  }
  if (kind === "level") {
    if ((LOG_LEVELS as readonly string[]).includes(text)) return text;
    throw new UsageError(`${source} expects one of ${LOG_LEVELS.join(", ")}, got "${text}"`);
  }
  if (!(kind === "int" ? WHOLE : DECIMAL).test(text)) {
    throw new UsageError(
      `${source} expects ${kind === "int" ? "a whole number (digits 0-9 only)" : "a number (digits, optionally with a decimal point)"}, got "${text}"`,
    );
  }
  return Number(text);
}

/** A command-line-only option: how the process writes its logs (the server library takes a logger). */
export const LOG_FORMAT_OPTION = { flag: "log-format", env: "OSP_LOG_FORMAT" } as const;

export interface ServeCommand {
  options: ServerOptions;
  /** null: decide by whether stdout is a terminal. */
  logFormat: LogFormat | null;
  /** Where each given option came from, as the user wrote it: `--port` or `environment variable PORT`. */
  sources: Record<string, string>;
}

/** Flags win over environment variables, which win over defaults. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServerOptions {
  return parseServeCommand(argv, env).options;
}

export function parseServeCommand(argv: string[], env: NodeJS.ProcessEnv): ServeCommand {
  const spec = Object.fromEntries(
    [...Object.values(OPTIONS), LOG_FORMAT_OPTION].map((o) => [o.flag, { type: "string" as const }]),
  );
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const out: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [key, o] of Object.entries(OPTIONS)) {
    const fromFlag = values[o.flag] !== undefined;
    const text = values[o.flag] ?? env[o.env];
    const source = fromFlag ? `--${o.flag}` : `Environment variable ${o.env}`;
    if (text !== undefined && text !== "") {
      out[key] = convert(source, o.kind, text);
      sources[key] = fromFlag ? `--${o.flag}` : `environment variable ${o.env}`;
    }
  }
  // The command keeps rooms across restarts by default; `--data-file none` keeps them in memory only.
  if (out["dataFile"] === undefined) out["dataFile"] = CLI_DEFAULT_DATA_FILE;
  if (out["dataFile"] === "none") out["dataFile"] = null;
  const format = values[LOG_FORMAT_OPTION.flag] ?? env[LOG_FORMAT_OPTION.env] ?? "";
  if (format !== "" && !LOG_FORMATS.includes(format as LogFormat)) {
    const source = values[LOG_FORMAT_OPTION.flag] !== undefined ? "--log-format" : `Environment variable ${LOG_FORMAT_OPTION.env}`;
    throw new UsageError(`${source} expects one of ${LOG_FORMATS.join(", ")}, got "${format}"`);
  }
  return { options: out as ServerOptions, logFormat: format === "" ? null : (format as LogFormat), sources };
}
