/**
 * A tiny static file server for browser tests: node:http on 127.0.0.1 port 0,
 * HTTP Range requests (media elements and hls.js depend on them), correct
 * content types for media and scripts, no caching, and permissive CORS so a
 * page on another origin (e.g. a Jellyfin test server) may fetch from it.
 *
 * `rootDirs` are searched in order for each request path, so a fixture
 * directory and a media directory can be served side by side.
 */
import { createReadStream, type Stats, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

export interface StaticServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:39123`. */
  url: string;
  /** Stop listening and drop open connections; idempotent. */
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Registers teardown, e.g. a node:test `TestContext` or `{ after }` from node:test. */
  teardown?: { after(fn: () => Promise<void>): void };
  /** Answer every request with the whole file (200), as a server without Range support does. */
  ignoreRange?: boolean;
  /** Send no CORS headers (as `python3 -m http.server` does). */
  noCors?: boolean;
  /** Maps a request path to a file path, e.g. a Jellyfin-style `/Videos/<id>/stream` to `/clip.mp4`. */
  rewrite?: (urlPath: string) => string;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".mp4": "video/mp4",
  ".m4s": "video/iso.segment",
  ".webm": "video/webm",
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".vtt": "text/vtt; charset=utf-8",
};

function findFile(roots: readonly string[], urlPath: string): { path: string; stats: Stats } | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (relative.endsWith("/")) relative += "index.html";
  for (const root of roots) {
    const path = resolve(join(root, relative));
    if (path !== root && !path.startsWith(root + sep)) continue; // no escaping the root
    try {
      const stats = statSync(path);
      if (stats.isFile()) return { path, stats };
    } catch {
      // not in this root; try the next one
    }
  }
  return null;
}

/** Parse a single `bytes=` range; null when absent, "invalid" when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

function handle(roots: readonly string[], req: IncomingMessage, res: ServerResponse, opts: StaticServerOptions = {}): void {
  if (!opts.noCors) res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Cache-Control", "no-store");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const requested = new URL(req.url ?? "/", "http://localhost").pathname;
  const urlPath = opts.rewrite ? opts.rewrite(requested) : requested;
  const file = findFile(roots, urlPath);
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  const size = file.stats.size;
  res.setHeader("Content-Type", CONTENT_TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream");
  if (!opts.ignoreRange) res.setHeader("Accept-Ranges", "bytes");
  const range = opts.ignoreRange ? null : parseRange(req.headers.range, size);
  if (range === "invalid") {
    res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.setHeader("Content-Length", String(size === 0 ? 0 : end - start + 1));
  if (range) res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
  res.writeHead(range ? 206 : 200);
  if (req.method === "HEAD" || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start, end });
  stream.on("error", () => res.destroy());
  res.on("close", () => stream.destroy());
  stream.pipe(res);
}

/** Serve `rootDirs` (searched in order) on an ephemeral port of 127.0.0.1. */
export async function startStaticServer(
  rootDirs: readonly string[],
  options: StaticServerOptions = {},
): Promise<StaticServer> {
  const roots = rootDirs.map((d) => resolve(d));
  const server = createServer((req, res) => handle(roots, req, res, options));
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
    return closing;
  };
  options.teardown?.after(close);
  return { url: `http://127.0.0.1:${port}`, close };
}
