/**
 * GET /metrics: the Prometheus text exposition of a PartyMetrics registry,
 * optionally behind `Authorization: Bearer <metricsToken>` (compared in
 * constant time). Used on the public port or on its own listener.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PartyMetrics } from "./party-metrics.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

export function createMetricsHandler(metrics: PartyMetrics, token: string | null) {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ""), expected)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" }).end("Unauthorized");
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" }).end(text),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${String(err)}`),
    );
  };
}
