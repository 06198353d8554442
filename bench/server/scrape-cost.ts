/**
 * `node --import tsx bench/server/scrape-cost.ts [sockets]`: event-loop time one /metrics scrape takes with
 * `sockets` loopback connections open (both ends in this process: 2 × sockets handles), prom-client's default
 * collectors against the server's (collectProcessMetrics). Loop time = eventLoopUtilization().active over the
 * scrape; 15 scrapes per round, 3 rounds, median / min / max printed per round.
 */
import net from "node:net";
import { performance } from "node:perf_hooks";
import { Registry, collectDefaultMetrics } from "prom-client";
import { collectProcessMetrics } from "../../src/server/metrics/process-metrics.js";

const N = Number(process.argv[2] ?? 5000);
let accepted = 0;
const server = net.createServer(() => accepted++).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const { port } = server.address() as net.AddressInfo;
const sockets: net.Socket[] = [];
for (let i = 0; i < N; i += 100) {
  await Promise.all(
    Array.from(
      { length: Math.min(100, N - i) },
      () =>
        new Promise<void>((resolve, reject) => {
          const s = net.connect(port, "127.0.0.1", () => resolve());
          s.on("error", reject);
          sockets.push(s);
        }),
    ),
  );
}
for (let k = 0; accepted < N && k < 200; k++) await new Promise((r) => setTimeout(r, 50));

const defaults = new Registry();
collectDefaultMetrics({ register: defaults });
const ours = new Registry();
collectProcessMetrics(ours);

async function round(registry: Registry, label: string): Promise<void> {
  const busy: number[] = [];
  for (let i = 0; i < 15; i++) {
    const before = performance.eventLoopUtilization();
    await registry.metrics();
    busy.push(performance.eventLoopUtilization(before).active);
  }
  busy.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2);
  console.log(`${label.padEnd(38)} loop busy per scrape: median ${f(busy[7]!)} ms, min ${f(busy[0]!)}, max ${f(busy[14]!)}`);
}

console.log(`${N} connections open (${accepted} accepted), node ${process.version}, ${new Date().toISOString()}`);
for (let r = 0; r < 3; r++) {
  await round(defaults, "prom-client collectDefaultMetrics");
  await round(ours, "collectProcessMetrics (the server's)");
}
process.exit(0);
