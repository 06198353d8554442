/**
 * `npm run bench:server [-- --rooms 2000 --members 5 --seconds 20 --warmup 3 --hz 1 --workers 2]`
 *
 * R rooms × M members over loopback. The server runs in its own process, the
 * load in `workers` other processes. The same load then runs against a bare
 * `ws` relay (the ceiling), and the report compares the two.
 */
import { parseArgs } from "node:util";
import os from "node:os";
import type { ChildProcess } from "node:child_process";
import { nextMessage, spawnChild, stopChild } from "./children.js";
import type { ServerReady, ServerStats, WorkerPlan, WorkerReady, WorkerResult } from "./ipc.js";
import { fmt, percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "2000" },
    members: { type: "string", default: "5" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    hz: { type: "string", default: "1" },
    "event-chance": { type: "string", default: "0.1" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "200" },
    target: { type: "string", default: "both" },
  },
});
const rooms = Number(values.rooms);
const members = Number(values.members);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const hz = Number(values.hz);
const workers = Number(values.workers);

interface Outcome {
  name: string;
  connections: number;
  failed: number;
  deliveredPerSec: number;
  sentPerSec: number;
  p50: number;
  p99: number;
  max: number;
  cpuPct: number;
  rssMb: number;
  rssPerConnKb: number;
  cpuUsPerDelivery: number;
  errors: number;
}

async function stats(server: ChildProcess): Promise<ServerStats> {
  const reply = nextMessage<ServerStats>(server, "stats");
  server.send({ kind: "stats" });
  return reply;
}

async function runOne(name: string, file: string): Promise<Outcome> {
  // Hosts send hz state_updates plus occasional player_events: stay inside the per-connection rate limit.
  const mps = Math.max(30, Math.ceil(hz * 2 + 10));
  const server = spawnChild(file, { BENCH_MAX_MPS: String(mps) });
  const loaders: ChildProcess[] = [];
  try {
    const { port } = await nextMessage<ServerReady>(server, "listening");
    const base = await stats(server);
    const share = Math.ceil(rooms / workers);
    for (let w = 0; w < workers; w++) {
      const mine = Math.min(share, rooms - w * share);
      if (mine <= 0) break;
      const child = spawnChild("./load-worker.ts");
      const plan: WorkerPlan = {
        port,
        rooms: mine,
        members,
        hz,
        eventChance: Number(values["event-chance"]),
        seconds,
        concurrency: Number(values.concurrency),
      };
      loaders.push(child);
      child.send({ kind: "plan", plan });
    }
    const ready = await Promise.all(loaders.map((c) => nextMessage<WorkerReady>(c, "connected", 600_000)));
    const held = await stats(server);
    for (const c of loaders) c.send({ kind: "go" });
    // Steady state only: the first `warmup` s (every host's first play, JIT) are not measured.
    await new Promise((r) => setTimeout(r, warmup * 1000));
    const start = await stats(server);
    for (const c of loaders) c.send({ kind: "measure" });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const end = await stats(server);
    const results = loaders.map((c) => nextMessage<WorkerResult>(c, "result"));
    for (const c of loaders) c.send({ kind: "halt" });
    const done = await Promise.all(results);
    const lat = done.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const delivered = done.reduce((n, r) => n + r.delivered, 0);
    const sent = done.reduce((n, r) => n + r.sent, 0);
    const cpuUs = end.cpuUserUs + end.cpuSystemUs - (start.cpuUserUs + start.cpuSystemUs);
    const connections = held.connections;
    return {
      name,
      connections,
      failed: ready.reduce((n, r) => n + r.failed, 0),
      deliveredPerSec: delivered / seconds,
      sentPerSec: sent / seconds,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      max: lat.at(-1) ?? Number.NaN,
      cpuPct: (cpuUs / (seconds * 1e6)) * 100,
      rssMb: held.rssBytes / 2 ** 20,
      rssPerConnKb: connections ? (held.rssBytes - base.rssBytes) / connections / 1024 : Number.NaN,
      cpuUsPerDelivery: delivered ? cpuUs / delivered : Number.NaN,
      errors: done.reduce((n, r) => n + r.errors, 0),
    };
  } finally {
    await Promise.all(loaders.map((c) => stopChild(c)));
    await stopChild(server);
  }
}

function print(o: Outcome): void {
  console.log(
    [
      `${o.name.padEnd(12)}`,
      `conns ${o.connections} (failed ${o.failed})`,
      `sent ${fmt(o.sentPerSec, 0)}/s`,
      `delivered ${fmt(o.deliveredPerSec, 0)}/s`,
      `fan-out p50 ${fmt(o.p50, 2)} ms p99 ${fmt(o.p99, 2)} ms max ${fmt(o.max, 1)} ms`,
      `server CPU ${fmt(o.cpuPct)} % (${fmt(o.cpuUsPerDelivery, 2)} µs/delivery)`,
      `RSS ${fmt(o.rssMb, 0)} MB (${fmt(o.rssPerConnKb, 1)} KB/conn)`,
      `errors ${o.errors}`,
    ].join(" | "),
  );
}

console.log(
  `bench:server ${rooms} rooms × ${members} members, ${seconds} s (+${warmup} s warm-up) at ${hz} Hz, ${workers} load processes; ` +
    `${os.cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}`,
);
const outcomes: Outcome[] = [];
if (values.target !== "bare") {
  outcomes.push(await runOne("opensyncparty", "./server-process.ts"));
  print(outcomes.at(-1)!);
}
if (values.target !== "party") {
  outcomes.push(await runOne("bare ws relay", "./bare-relay.ts"));
  print(outcomes.at(-1)!);
}
if (outcomes.length === 2) {
  const [party, bare] = outcomes as [Outcome, Outcome];
  console.log(
    `ratio party/bare: delivered ${fmt((party.deliveredPerSec / bare.deliveredPerSec) * 100)} %, ` +
      `CPU capacity (deliveries per CPU-second) ${fmt((bare.cpuUsPerDelivery / party.cpuUsPerDelivery) * 100)} %`,
  );
}
