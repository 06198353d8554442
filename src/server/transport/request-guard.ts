/**
 * The first look at every HTTP request and upgrade, before any route runs:
 * a request whose target cannot be parsed or decoded gets a 4xx here, and a
 * route that throws answers 500 instead of ending the process. One hostile
 * request must never stop every party.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * The decoded path of a request target, or null when it is not a valid
 * origin-form target (`/path?query`): bad percent-encodings (`/%`, `/%zz`,
 * overlong UTF-8), NUL bytes, absolute or authority forms.
 */
export function requestPath(rawUrl: string | undefined): { pathname: string; decoded: string; url: URL } | null {
  const target = rawUrl ?? "/";
  if (!target.startsWith("/") || target.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(target, "http://x");
  } catch {
    return null;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  return { pathname: url.pathname, decoded, url };
}

/** Answers a plain HTTP request with a status and a short JSON reason, unless headers already went out. */
export function answer(res: ServerResponse, status: number, reason: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ status, reason });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(body);
}

/** Refuses an upgrade on the raw socket with an HTTP status line, then closes it. */
export function refuseUpgrade(socket: Duplex, status: number, text: string, reason = text): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ status, reason });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A peer that never reads must not hold the descriptor.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Wraps a request handler: a thrown error becomes a 500 and a log line, never a crash. */
export function guardRequests(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  onError: (err: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      onError(err);
      answer(res, 500, "internal error");
    }
  };
}

/**
 * A socket's `error` listener until something else handles its errors: the
 * socket (`this`) is destroyed. One function for every socket (no closure
 * per connection); the gateway removes it once ws's own listener is on the
 * socket, so an accepted socket's `error` list stays one function, not an
 * array (docs/benchmarks.md, "Issue 14, 2026-11-30 (later): memory per member").
 */
export function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Wraps an upgrade handler likewise; socket errors before the WebSocket takes over are swallowed, not thrown. */
export function guardUpgrades(
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  onError: (err: unknown) => void,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on("error", destroyOnError);
    try {
      handle(req, socket, head);
    } catch (err) {
      onError(err);
      refuseUpgrade(socket, 500, "Internal Server Error");
    }
  };
}
