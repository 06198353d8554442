/**
 * A small reverse proxy for tests, like an nginx `location /party/ { proxy_pass http://party/; }`:
 * serves a party server under a sub-path (the prefix is stripped on the way
 * in), WebSocket upgrades included, and records every path it was asked for.
 * Built on http-proxy-3, the server's own proxy library.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxyServer } from "http-proxy-3";

export interface SubPathProxy {
  /** `http://127.0.0.1:<port>` (no trailing slash; the page is at `${url}${prefix}`). */
  url: string;
  /** Paths requested through the proxy, as the browser sent them (`/party/ws`, `/party/standalone.js`…). */
  requests: string[];
  upgrades: string[];
  close(): Promise<void>;
}

export async function startSubPathProxy(
  target: string,
  prefix: string,
  teardown: { after(fn: () => Promise<void>): void },
): Promise<SubPathProxy> {
  const proxy = createProxyServer({ target, ws: true, xfwd: true });
  const requests: string[] = [];
  const upgrades: string[] = [];
  const strip = (req: IncomingMessage): boolean => {
    const url = req.url ?? "/";
    if (!url.startsWith(prefix)) return false;
    req.url = `/${url.slice(prefix.length)}`;
    return true;
  };
  proxy.on("error", (_err, _req, res) => {
    if (res && "writeHead" in res && !res.headersSent) res.writeHead(502).end();
    else res?.destroy();
  });
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === prefix.replace(/\/$/, "")) {
      res.writeHead(301, { location: prefix }).end();
      return;
    }
    if (!strip(req)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not under the proxied prefix");
      return;
    }
    proxy.web(req, res);
  });
  const upgraded = new Set<{ destroy(): void }>();
  server.on("upgrade", (req, socket, head) => {
    upgrades.push(req.url ?? "");
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    if (!strip(req)) return socket.destroy();
    proxy.ws(req, socket, head);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((ok) => {
      proxy.close();
      for (const s of upgraded) s.destroy();
      server.close(() => ok());
      server.closeAllConnections();
    });
    return closing;
  };
  teardown.after(close);
  return { url: `http://127.0.0.1:${port}`, requests, upgrades, close };
}
