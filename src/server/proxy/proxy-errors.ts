/**
 * Which proxy errors are just a connection ending. A proxied WebSocket
 * (Jellyfin's `/socket`) lives as long as a Jellyfin Web tab: a closed tab,
 * a reload or a sleeping laptop resets it (`ECONNRESET`, `EPIPE`), from
 * either side. A browser also aborts media range requests whenever the
 * viewer seeks. Those are normal and logged at debug level; Jellyfin being
 * unreachable (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, …) or a reset of a
 * response the browser still waits for stays a warning.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Error codes of a connection that one side closed or reset. */
export const CLOSE_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_STREAM_DESTROYED",
  "ERR_STREAM_WRITE_AFTER_END",
]);

export function isNormalClose(err: Error, req: IncomingMessage, target: ServerResponse | Duplex | undefined): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code || !CLOSE_ERROR_CODES.has(code)) return false;
  const isWebSocket = !!target && !("writeHead" in target);
  // An HTTP response counts only when the browser is gone (aborted download, seek, closed tab).
  return isWebSocket || req.destroyed || !!req.socket?.destroyed;
}
