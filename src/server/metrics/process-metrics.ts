/**
 * prom-client's default process and Node.js series, minus the ones whose
 * scrape costs grow with the number of connections.
 *
 * prom-client collects `nodejs_active_handles{,_total}` and
 * `nodejs_active_resources{,_total}` by listing every libuv handle (one per
 * socket) twice per scrape, and `process_open_fds` with a synchronous
 * readdir of /proc/self/fd. With 5,000 connections open a scrape held the
 * event loop ≈ 15 ms, against ≈ 1.3 ms without them
 * (`bench/server/scrape-cost.ts`; docs/benchmarks.md, "The scrape"), and
 * every room's frames waited behind each Prometheus scrape.
 * `opensyncparty_connections` counts the sockets instead; `process_open_fds`
 * keeps its name and meaning but is read off the event loop.
 */
import { readdir } from "node:fs/promises";
import { Gauge, type Registry, collectDefaultMetrics } from "prom-client";

/** Default series this module drops: each is O(open handles) per scrape, on the event loop. */
const O_N_DEFAULT_SERIES = [
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
] as const;

/** Registers prom-client's defaults on `registry` without the O(connections) series; `process_open_fds` is read asynchronously (Linux). */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of O_N_DEFAULT_SERIES) registry.removeSingleMetric(name);
  if (!registry.getSingleMetric("process_open_fds")) return; // prom-client registers it on Linux only
  registry.removeSingleMetric("process_open_fds");
  new Gauge({
    name: "process_open_fds",
    help: "Number of open file descriptors.",
    registers: [registry],
    async collect() {
      try {
        // readdir runs on the libuv pool; its own descriptor is closed again before it resolves.
        this.set((await readdir("/proc/self/fd")).length);
      } catch {
        // no /proc: leave the last value
      }
    },
  });
}
