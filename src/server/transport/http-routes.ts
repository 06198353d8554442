/**
 * Plain HTTP routes: /health, /metrics, and static files of the browser
 * bundles (the standalone page at /, /jellyfin.js). No framework: four
 * routes do not need one.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { Core } from "../core/core.js";
import { answer, requestPath } from "./request-guard.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

export interface RouteOptions {
  core: Core;
  /** Serves /metrics; null when metrics are served on their own port (then /metrics is 404 here). */
  metrics: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  version: string;
  startedAt: number;
  /** Cluster mode: whether this instance reaches Redis (null for a single instance). */
  cluster?: { health(): { redis: "ok" | "unreachable"; instance: string } } | null;
  /** Directories searched in order for static files. */
  staticRoots: string[];
  /** Paths mapped to other paths, e.g. "/" → "/standalone/index.html". */
  aliases: Record<string, string>;
}

export function createHttpHandler(opts: RouteOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", connection: "close" }).end();
      return;
    }
    const target = requestPath(req.url);
    if (!target) return answer(res, 400, "malformed request target");
    const { url } = target;
    if (url.pathname === "/health") {
      const { hub } = opts.core;
      const store = hub.storeHealth;
      const cluster = opts.cluster?.health() ?? null;
      const status = hub.shuttingDown
        ? "shutting_down"
        : cluster?.redis === "unreachable"
          ? "degraded"
          : store.ok
            ? "ok"
            : "store_failing";
      const body = JSON.stringify({
        status,
        version: opts.version,
        uptime_s: Math.round((Date.now() - opts.startedAt) / 1000),
        ...opts.core.stats(),
        ...(cluster ? { redis: cluster.redis, instance: cluster.instance } : {}),
        store: {
          ok: store.ok,
          since_ts: Math.round(store.since),
          write_failures_total: store.failuresTotal,
          last_error: store.lastError,
          ...(store.ok ? {} : { reason: `room store writes fail (${store.lastError}); rooms are kept in memory and retried` }),
        },
      });
      res.writeHead(status === "ok" ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(body);
      return;
    }
    if (url.pathname === "/metrics" && opts.metrics) {
      opts.metrics(req, res);
      return;
    }
    // new-user nitpick: a plain GET of the WebSocket path (a browser, curl) got "Not found".
    if (url.pathname === opts.core.hub.config.wsPath) {
      const body = `This is the OpenSyncParty WebSocket endpoint: connect with a WebSocket client (ws:// or wss://). Open / in a browser for the party page.\n`;
      res.writeHead(426, { "content-type": "text/plain; charset=utf-8", upgrade: "websocket", connection: "Upgrade, close", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    const alias = opts.aliases[url.pathname];
    serveStatic(opts, alias ?? target.decoded, req, res);
  };
}

/** `decoded`: the request path, already percent-decoded by requestPath(). */
function serveStatic(opts: RouteOptions, decoded: string, req: IncomingMessage, res: ServerResponse): void {
  const rel = normalize(decoded).replace(/^([/\\])+/, "");
  if (rel.split(sep).includes("..")) {
    res.writeHead(400).end();
    return;
  }
  for (const root of opts.staticRoots) {
    const file = join(root, rel);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) continue;
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": statSync(file).size,
      "cache-control": extname(file) === ".html" ? "no-cache" : "public, max-age=300",
      "access-control-allow-origin": "*",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).on("error", () => res.destroy()).pipe(res);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
}
