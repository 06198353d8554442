/**
 * `--proxy-jellyfin <url>`: the party server serves Jellyfin through
 * itself, so browsing to the party server gives Jellyfin Web with the
 * Watch Party script and no Jellyfin plugin. Built on http-proxy-3 (the
 * maintained TypeScript rewrite of http-proxy): streaming, Range requests
 * and WebSocket upgrades (Jellyfin's `/socket`) pass through untouched;
 * only index.html is buffered, to insert the script tag.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createProxyServer } from "http-proxy-3";
import { type CoreLogger, RepeatedWarning } from "../core/logger.js";
import { isIndexPath, relayWithInjection } from "./inject-script.js";
import { isNormalClose } from "./proxy-errors.js";

/** Paths the party server keeps for itself; everything else is Jellyfin's. */
const PARTY_PATHS = new Set(["/jellyfin.js", "/jellyfin.js.map", "/health", "/metrics"]);

export interface JellyfinProxy {
  isPartyPath(pathname: string): boolean;
  web(req: IncomingMessage, res: ServerResponse): void;
  ws(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createJellyfinProxy(target: string, log: CoreLogger): JellyfinProxy {
  // Host is kept (as Jellyfin's own nginx guide does) and X-Forwarded-* added, so Jellyfin sees the public address.
  const common = { target, xfwd: true, changeOrigin: false, ws: true };
  const passthrough = createProxyServer(common);
  const html = createProxyServer({ ...common, selfHandleResponse: true });

  html.on("proxyReq", (proxyReq) => {
    // Ask for an uncompressed page so we can edit it (relayWithInjection still decodes if upstream ignores us).
    proxyReq.setHeader("accept-encoding", "identity");
    proxyReq.removeHeader("range");
    proxyReq.removeHeader("if-none-match");
    proxyReq.removeHeader("if-modified-since");
  });
  html.on("proxyRes", (upstream, _req, res) => relayWithInjection(upstream, res));

  // Jellyfin down fails every request of every page: one line for the outage (then one per 10 s with a count).
  const proxyErrors = new RepeatedWarning(log, "Jellyfin proxy error");
  const onError = (err: Error, req: IncomingMessage, target: ServerResponse | Duplex | undefined) => {
    if (isNormalClose(err, req, target)) log.debug({ url: req.url, err: err.message }, "Jellyfin proxy connection closed");
    else proxyErrors.note({ url: req.url, err: err.message });
    if (!target) return;
    if ("writeHead" in target) {
      if (!target.headersSent) target.writeHead(502, { "content-type": "text/plain" });
      target.end("Jellyfin is unreachable from the party server.");
    } else target.destroy();
  };
  passthrough.on("error", onError);
  html.on("error", onError);

  return {
    isPartyPath: (p) => PARTY_PATHS.has(p),
    web(req, res) {
      const pathname = new URL(req.url ?? "/", "http://x").pathname;
      const useHtml = isIndexPath(pathname) && req.method === "GET";
      (useHtml ? html : passthrough).web(req, res);
    },
    ws(req, socket, head) {
      passthrough.ws(req, socket, head);
    },
    close() {
      passthrough.close();
      html.close();
    },
  };
}
