/**
 * A delaying reverse proxy in front of the party server: HTTP requests are
 * piped through unchanged (the page is served from the proxy's origin), and
 * WebSocket frames are forwarded each way after `delay ± jitter` ms, keeping
 * their order (a frame never overtakes the one before it), as a real network
 * path with queueing would.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type RawData, WebSocket, WebSocketServer } from "ws";

export interface DelayProxy {
  url: string;
  close(): Promise<void>;
}

export interface DelayOptions {
  delayMs: number;
  jitterMs: number;
  random?: () => number;
}

function delayedForwarder(to: WebSocket, o: DelayOptions): (data: RawData, isBinary: boolean) => void {
  const random = o.random ?? Math.random;
  let lastAt = 0;
  return (data, isBinary) => {
    const delay = o.delayMs + (random() * 2 - 1) * o.jitterMs;
    const at = Math.max(performance.now() + delay, lastAt);
    lastAt = at;
    setTimeout(() => {
      if (to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
    }, at - performance.now());
  };
}

export async function startDelayProxy(upstreamHttp: string, o: DelayOptions): Promise<DelayProxy> {
  const upstream = new URL(upstreamHttp);
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((req, res) => {
    const fwd = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on("error", () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  http.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const server = new WebSocket(`ws://${upstream.host}${req.url ?? "/ws"}`);
      const pending: Array<[RawData, boolean]> = [];
      const toServer = delayedForwarder(server, o);
      client.on("message", (d, b) => (server.readyState === WebSocket.OPEN ? toServer(d, b) : pending.push([d, b])));
      server.on("open", () => {
        for (const [d, b] of pending.splice(0)) toServer(d, b);
      });
      server.on("message", delayedForwarder(client, o));
      const closeBoth = () => {
        client.close();
        server.close();
      };
      client.on("close", closeBoth);
      server.on("close", closeBoth);
      client.on("error", closeBoth);
      server.on("error", closeBoth);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
