/**
 * `createServer(options) → { listen, close, url }`: the HTTP + WebSocket
 * session server. The CLI only parses arguments and calls this; tests
 * start it on port 0. Signal handling is the caller's business.
 * Cluster mode, the Jellyfin proxy and TLS come from src/server/optional-modules.ts: import
 * createServer from the package entry (src/server/index.ts), which loads them, or await
 * loadOptionalModules(options) first (the command does, to keep a default serve small).
 */
import { readFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer as createHttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { createJellyfinAuthenticator } from "./auth/jellyfin-authenticator.js";
import { type ServerConfig, type ServerOptions, resolveConfig } from "./config.js";
import { type Clock, systemClock } from "./core/clock.js";
import { type Core, createCore } from "./core/core.js";
import type { Authenticator } from "./core/hub.js";
import type { CoreLogger } from "./core/logger.js";
import { MemoryRoomStore } from "./store/memory-store.js";
import type { RoomStore } from "./store/room-store.js";
import { RedisRoomStore } from "./store/redis-store.js";
import { SqliteRoomStore } from "./store/sqlite-store.js";
import { guessLanUrl } from "./lan-url.js";
import { createHttpHandler } from "./transport/http-routes.js";
import { createMetricsHandler } from "./metrics/metrics-endpoint.js";
import { PartyMetrics } from "./metrics/party-metrics.js";
import type { TlsServer } from "./transport/tls.js";
import { SocketsPerAddress, openFileLimit } from "./transport/connection-limits.js";
import { guardRequests, guardUpgrades, refuseUpgrade, requestPath } from "./transport/request-guard.js";
import { WsGateway } from "./transport/ws-gateway.js";
import type { Cluster } from "./cluster/cluster.js";
import { optionalModule } from "./optional-modules.js";

export interface CreateServerOptions extends ServerOptions {
  logger?: CoreLogger;
  clock?: Clock;
  store?: RoomStore;
  authenticator?: Authenticator | null;
  /** Extra directories searched for static files before the built web bundles. */
  staticRoots?: string[];
}

export interface PartyServer {
  /** Resolves with the bound address once listening. */
  listen(): Promise<{ port: number; host: string }>;
  /** Graceful: tells clients, closes sockets (1001), stops listening. Idempotent. */
  close(): Promise<void>;
  /** `ws://host:port/ws` (`wss://` with TLS) once listening. */
  readonly url: string;
  /** `http://host:port` (`https://` with TLS) once listening. */
  readonly httpUrl: string;
  /** `http://metricsHost:port/metrics` when metrics have their own listener (metricsPort), else null. */
  readonly metricsUrl: string | null;
  readonly config: ServerConfig;
  /** The package's version (from package.json). */
  readonly version: string;
  readonly core: Core;
  readonly http: Server | HttpsServer;
  readonly metrics: PartyMetrics;
  /** Cluster mode (redisUrl set): this instance's part of the cluster; null for a single instance. */
  readonly cluster: Cluster | null;
  /** Re-reads the TLS certificate and key (SIGHUP). False if they are not a valid pair, or TLS is off. */
  reloadTls(): boolean;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "opensyncparty") return dir;
    } catch {}
    dir = dirname(dir);
  }
  return process.cwd();
}

export function createServer(options: CreateServerOptions = {}): PartyServer {
  const { logger, clock, store: givenStore, staticRoots, authenticator: given, ...rest } = options;
  const config = resolveConfig(rest);
  const log: CoreLogger = logger ?? pino({ level: config.logLevel });
  const authenticator =
    given ??
    (config.jellyfinUrl ? createJellyfinAuthenticator({ jellyfinUrl: config.jellyfinUrl, cacheMs: config.authCacheMs, log }) : null);
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const baseClock = clock ?? systemClock();
  // Cluster mode: Redis connections and the cluster clock exist before the core (which runs on that clock).
  const clusterRt = config.redisUrl
    ? optionalModule("cluster").prepareCluster({ redisUrl: config.redisUrl, prefix: config.clusterKeyPrefix, instanceTtlMs: config.clusterInstanceTtlMs, baseClock, log })
    : null;
  // The store, and how the "listening" line names it (the default data file depends on the folder the server starts in).
  const [store, storeInfo]: [RoomStore, Record<string, string>] = givenStore
    ? [givenStore, {}]
    : clusterRt
      ? [new RedisRoomStore({ redis: clusterRt.link.redis, prefix: config.clusterKeyPrefix, fence: clusterRt.ownership.fence }), { store: "redis" }]
      : config.dataFile
        ? [new SqliteRoomStore(config.dataFile), { store: "sqlite", data_file: resolvePath(config.dataFile) }]
        : [new MemoryRoomStore(), { store: "memory" }];
  // The gauges read the core at scrape time, after it exists.
  const metrics = new PartyMetrics(() => core.stats());
  const core = createCore({
    config,
    clock: clusterRt?.clock ?? baseClock,
    log,
    store,
    authenticator: authenticator ?? null,
    observer: metrics,
  });
  const cluster = clusterRt ? optionalModule("cluster").startCluster(core, clusterRt, store) : null;
  if (cluster) metrics.watchRedis(() => cluster.health().redis === "ok");
  const fdLimit = openFileLimit();
  const gateway = new WsGateway(core, config, log, metrics, authenticator ?? null, fdLimit);
  const webRoot = join(root, "dist", "web");
  const proxy = config.proxyJellyfin ? optionalModule("proxy").createJellyfinProxy(config.proxyJellyfin, log) : null;
  const metricsHandler = createMetricsHandler(metrics, config.metricsToken);
  const partyHandler = createHttpHandler({
    core,
    metrics: config.metricsPort === null ? metricsHandler : null,
    version,
    startedAt: Date.now(),
    cluster,
    staticRoots: [...(staticRoots ?? []), webRoot],
    aliases: { "/": "/standalone/index.html", "/jellyfin.js": "/jellyfin.js", "/favicon.ico": "/standalone/favicon.ico" },
  });
  const routeFailed = (err: unknown) => log.error({ err }, "request handler failed");
  const handler = guardRequests((req, res) => {
    const path = requestPath(req.url)?.pathname;
    if (proxy && path !== undefined && !proxy.isPartyPath(path)) return proxy.web(req, res);
    partyHandler(req, res);
  }, routeFailed);
  const tls: TlsServer | null =
    config.tlsCertFile && config.tlsKeyFile
      ? optionalModule("tls").createTlsServer({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }, handler, log)
      : null;
  const http: Server | HttpsServer = tls?.server ?? createHttpServer(handler);
  const metricsListener = config.metricsPort === null ? null : createMetricsListener(metricsHandler);
  let metricsAddress: AddressInfo | null = null;
  http.on(
    "upgrade",
    guardUpgrades((req, socket, head) => {
      const path = requestPath(req.url)?.pathname;
      if (proxy && path !== undefined && path !== config.wsPath) return proxy.ws(req, socket, head);
      gateway.handleUpgrade(req, socket, head);
    }, routeFailed),
  );
  // One address may hold twice maxConnectionsPerIp sockets of any kind: idle or half-sent requests cannot take every slot.
  if (config.maxConnectionsPerIp > 0) http.on("connection", new SocketsPerAddress(config.maxConnectionsPerIp * 2, log).admit);
  // Past this many sockets Node closes new ones at once: descriptors never run out (no EMFILE).
  if (fdLimit !== null) http.maxConnections = Math.max(gateway.connectionCap, fdLimit - Math.floor(config.fdReserve / 2));
  // CONNECT (tunnelling) is no route of ours: refuse it instead of silently closing.
  http.on("connect", (_req, socket: Duplex) => {
    socket.on("error", () => socket.destroy());
    refuseUpgrade(socket, 405, "Method Not Allowed");
  });
  let address: AddressInfo | null = null;
  let closing: Promise<void> | null = null;

  const server: PartyServer = {
    config,
    version,
    core,
    http,
    metrics,
    cluster,
    get url() {
      if (!address) throw new Error("server is not listening");
      return `${tls ? "wss" : "ws"}://${hostForUrl(address)}:${address.port}${config.wsPath}`;
    },
    get httpUrl() {
      if (!address) throw new Error("server is not listening");
      return `${tls ? "https" : "http"}://${hostForUrl(address)}:${address.port}`;
    },
    get metricsUrl() {
      return metricsAddress ? `http://${hostForUrl(metricsAddress)}:${metricsAddress.port}/metrics` : null;
    },
    reloadTls: () => tls?.reload() ?? false,
    async listen() {
      // Cluster mode: serve only once connected to Redis, on the cluster's clock, registered and subscribed.
      if (cluster) await cluster.ready;
      address = await listenOn(http, config.port, config.host);
      const lan = guessLanUrl(config.host, address.port);
      core.hub.lanUrl = lan && tls ? lan.replace(/^http:/, "https:") : lan;
      // After start-up an accept error (e.g. EMFILE from another part of the process) is logged, not fatal.
      http.on("error", (err) => log.error({ err }, "HTTP server error"));
      if (metricsListener) metricsAddress = await listenOn(metricsListener, config.metricsPort ?? 0, config.metricsHost);
      log.info(
        { url: server.url, port: address.port, ...(cluster ? { instance: cluster.instanceId } : {}), version, tls: tls !== null, publicUrl: config.publicUrl, lanUrl: core.hub.lanUrl, max_connections: gateway.connectionCap, fd_limit: fdLimit, ...storeInfo, ...(server.metricsUrl ? { metrics: server.metricsUrl } : {}) },
        "OpenSyncParty listening",
      );
      return { port: address.port, host: address.address };
    },
    close() {
      closing ??= (async () => {
        await cluster?.beforeShutdown();
        core.shutdown();
        await gateway.drain(config.shutdownGraceMs);
        proxy?.close();
        tls?.close();
        await Promise.all([http, ...(metricsListener ? [metricsListener] : [])].map(closeServer));
        await core.hub.writesSettled(); // an asynchronous store's last writes (Redis)
        store.close();
        await cluster?.close();
        if (!core.hub.storeHealth.ok) {
          const reason = core.hub.storeHealth.lastError;
          log.error({ reason }, "OpenSyncParty stopped, but the final room store write failed: recent changes are lost");
          throw new Error(`the final room store write failed (${reason})`);
        }
        log.info({}, "OpenSyncParty stopped");
      })();
      return closing;
    },
  };
  return server;
}

function listenOn(s: Server | HttpsServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, host, () => {
      s.off("error", reject);
      resolve(s.address() as AddressInfo);
    });
  });
}

function closeServer(s: Server | HttpsServer): Promise<void> {
  return new Promise<void>((r) => {
    if (!s.listening) return r();
    s.close(() => r());
    s.closeAllConnections();
  });
}

/** Plain HTTP listener that serves only /metrics (for `metricsPort`). */
function createMetricsListener(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createHttpServer((req, res) => {
    if (new URL(req.url ?? "/", "http://x").pathname === "/metrics" && (req.method === "GET" || req.method === "HEAD")) {
      return handler(req, res);
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  });
}

function hostForUrl(a: AddressInfo): string {
  if (a.address === "0.0.0.0" || a.address === "::") return "localhost";
  return a.family === "IPv6" ? `[${a.address}]` : a.address;
}
