/**
 * Puts the party script into Jellyfin Web's index.html as it passes
 * through the proxy: before `</head>` (else `</body>`, else at the end),
 * once, after undoing any content encoding upstream applied anyway.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export const SCRIPT_TAG = '<script src="/jellyfin.js" defer></script>';

/** Paths that serve Jellyfin Web's index.html (10.9–10.11 serve the app under /web/). */
export function isIndexPath(pathname: string): boolean {
  return pathname === "/web/" || pathname === "/web/index.html" || pathname === "/web";
}

export function injectScriptTag(html: string, tag = SCRIPT_TAG): string {
  if (html.includes('src="/jellyfin.js"')) return html;
  for (const close of ["</head>", "</body>"]) {
    const at = html.lastIndexOf(close);
    if (at >= 0) return html.slice(0, at) + tag + html.slice(at);
  }
  return html + tag;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return gunzipSync(body);
    case "br":
      return brotliDecompressSync(body);
    case "deflate":
      return inflateSync(body);
    default:
      return body;
  }
}

/** Handles a self-handled upstream response: HTML 200s get the tag, anything else streams through unchanged. */
export function relayWithInjection(upstream: IncomingMessage, res: ServerResponse): void {
  const type = String(upstream.headers["content-type"] ?? "");
  if (upstream.statusCode !== 200 || !type.includes("text/html")) {
    res.writeHead(upstream.statusCode ?? 502, upstream.headers);
    upstream.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  upstream.on("data", (c: Buffer) => chunks.push(c));
  upstream.on("error", () => res.destroy());
  upstream.on("end", () => {
    let html: string;
    try {
      html = decode(Buffer.concat(chunks), upstream.headers["content-encoding"]).toString("utf8");
    } catch {
      res.writeHead(502, { "content-type": "text/plain" }).end("Bad encoding from Jellyfin");
      return;
    }
    const body = Buffer.from(injectScriptTag(html), "utf8");
    const headers = { ...upstream.headers };
    for (const h of ["content-encoding", "content-length", "etag", "transfer-encoding", "content-md5"]) delete headers[h];
    res.writeHead(200, { ...headers, "content-length": String(body.length), "cache-control": "no-cache" });
    res.end(body);
  });
}
