/**
 * Event-loop delay and GC pauses of this process, for the bench's own
 * children (the relay, the in-process server), measured as prom-client's
 * default metrics measure `serve`: monitorEventLoopDelay at 10 ms
 * resolution, reset at each read; GC pauses from PerformanceObserver.
 */
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import type { LoopAndGc } from "./serve-target.js";

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let gcCount = 0;
let gcMs = 0;
let gcOver10ms = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcCount++;
    gcMs += e.duration;
    if (e.duration >= 10) gcOver10ms++;
  }
}).observe({ entryTypes: ["gc"] });

/** Figures since the previous call (GC counts are cumulative; the caller subtracts). */
export function readLoopAndGc(): LoopAndGc {
  const out = { loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6, gcCount, gcMs, gcOver10ms };
  loop.reset();
  return out;
}
