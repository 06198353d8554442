/**
 * `npm run bench:cluster [-- --rooms 300 --members 6 --seconds 15 --warmup 3 --hz 1 --workers 2 --instances 1,2,3]`
 *
 * The bench:server workload (R rooms × M members; hosts send state_update at
 * `hz` plus occasional seeks; every member counts deliveries and fan-out
 * latency) against 1, 2 and 3 cluster instances on one redis-server, with
 * each room's members spread over the instances (member i of room r on
 * instance (r + i) mod n). Reports delivered/s, fan-out p50/p99, CPU per
 * delivery for instances + redis-server together (from /proc), and Redis
 * commands per delivered message (INFO commandstats). Needs `npm run build`.
 */
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { startRedis, uniquePrefix } from "../../test/support/redis.js";
import { nextMessage, spawnChild, stopChild } from "../server/children.js";
import type { WorkerPlan, WorkerReady, WorkerResult } from "../server/ipc.js";
import { fmt, percentile } from "../server/stats.js";
import { startBenchInstance } from "./instance.js";
import { procCpuUs } from "./proc.js";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "300" },
    members: { type: "string", default: "6" },
    seconds: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    hz: { type: "string", default: "1" },
    "event-chance": { type: "string", default: "0.1" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "60" },
    instances: { type: "string", default: "1,2,3" },
  },
});
const rooms = Number(values.rooms);
const members = Number(values.members);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const hz = Number(values.hz);
const workers = Number(values.workers);

const cleanups: Array<() => unknown> = [];
const teardown = { after: (fn: () => unknown) => void cleanups.push(fn) };

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
}

async function commandCalls(redis: Redis): Promise<number> {
  const info = await redis.info("commandstats");
  let calls = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  return calls;
}

interface Outcome {
  n: number;
  connections: number;
  failed: number;
  deliveredPerSec: number;
  p50: number;
  p99: number;
  cpuPct: number;
  redisCpuPct: number;
  cpuUsPerDelivery: number;
  redisCmdsPerDelivery: number;
  /** Redis used_memory growth with every room open, per room (snapshot, lobby entry, resume entries, keys). */
  redisBytesPerRoom: number;
  errors: number;
  errorCodes: Record<string, number>;
}

async function runOne(n: number, redisUrl: string, redisPid: number): Promise<Outcome> {
  const mps = Math.max(30, Math.ceil(hz * 2 + 10));
  const prefix = uniquePrefix();
  const instances: ChildProcess[] = [];
  const loaders: ChildProcess[] = [];
  const stats = new Redis(redisUrl);
  try {
    const memBefore = await usedMemory(stats);
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const inst = await startBenchInstance(redisUrl, prefix, mps);
      instances.push(inst.child);
      ports.push(inst.port);
    }
    const share = Math.ceil(rooms / workers);
    for (let w = 0; w < workers; w++) {
      const mine = Math.min(share, rooms - w * share);
      if (mine <= 0) break;
      const child = spawnChild("./load-worker.ts");
      const plan: WorkerPlan = {
        urls: ports.map((port) => `ws://127.0.0.1:${port}/ws`),
        roomOffset: w * share,
        roomsPerIp: 0,
        rooms: mine, members, hz, eventChance: Number(values["event-chance"]), seconds, concurrency: Number(values.concurrency) };
      loaders.push(child);
      child.send({ kind: "plan", plan });
    }
    const ready = await Promise.all(loaders.map((c) => nextMessage<WorkerReady>(c, "connected", 600_000)));
    for (const c of loaders) c.send({ kind: "go" });
    await new Promise((r) => setTimeout(r, warmup * 1000));
    const memRooms = await usedMemory(stats);
    const pids = [...instances.map((c) => c.pid!), redisPid];
    const cpu0 = pids.map(procCpuUs);
    const calls0 = await commandCalls(stats);
    for (const c of loaders) c.send({ kind: "measure" });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu1 = pids.map(procCpuUs);
    const calls1 = await commandCalls(stats);
    const results = loaders.map((c) => nextMessage<WorkerResult>(c, "result"));
    for (const c of loaders) c.send({ kind: "halt" });
    const done = await Promise.all(results);
    const lat = done.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const delivered = done.reduce((k, r) => k + r.delivered, 0);
    const cpuUs = cpu1.reduce((k, v, i) => k + v - cpu0[i]!, 0);
    const redisCpuUs = cpu1.at(-1)! - cpu0.at(-1)!;
    return {
      n,
      connections: ready.reduce((k, r) => k + r.connections, 0),
      failed: ready.reduce((k, r) => k + r.failed, 0),
      deliveredPerSec: delivered / seconds,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      cpuPct: (cpuUs / (seconds * 1e6)) * 100,
      redisCpuPct: (redisCpuUs / (seconds * 1e6)) * 100,
      cpuUsPerDelivery: delivered ? cpuUs / delivered : Number.NaN,
      // The two INFO calls of this script are subtracted.
      redisCmdsPerDelivery: delivered ? (calls1 - calls0 - 1) / delivered : Number.NaN,
      redisBytesPerRoom: (memRooms - memBefore) / rooms,
      errors: done.reduce((k, r) => k + r.errors, 0),
      errorCodes: done.reduce<Record<string, number>>((all, r) => {
        for (const [code, k] of Object.entries(r.errorCodes ?? {})) all[code] = (all[code] ?? 0) + k;
        return all;
      }, {}),
    };
  } finally {
    stats.disconnect();
    await Promise.all(loaders.map((c) => stopChild(c)));
    // Each instance ends (final fenced writes included) before the next run or before Redis stops.
    await Promise.all(
      instances.map((c) => {
        if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
        const gone = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        return gone;
      }),
    );
  }
}

console.log(
  `bench:cluster ${rooms} rooms × ${members} members spread over the instances, ${seconds} s (+${warmup} s warm-up) at ${hz} Hz, ` +
    `${workers} load processes; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, node ${process.version}, ${new Date().toISOString()}`,
);
const redis = await startRedis(teardown);
const redisPid = redis.pid!;
try {
  for (const n of values.instances.split(",").map(Number)) {
    const o = await runOne(n, redis.url, redisPid);
    console.log(
      [
        `${o.n} instance${o.n > 1 ? "s" : " "}`,
        `conns ${o.connections} (failed ${o.failed})`,
        `delivered ${fmt(o.deliveredPerSec, 0)}/s`,
        `fan-out p50 ${fmt(o.p50, 2)} ms p99 ${fmt(o.p99, 2)} ms`,
        `CPU ${fmt(o.cpuPct)} % of which redis ${fmt(o.redisCpuPct)} % (${fmt(o.cpuUsPerDelivery, 1)} µs/delivery)`,
        `redis ${fmt(o.redisCmdsPerDelivery, 3)} cmds/delivery, ${fmt(o.redisBytesPerRoom / 1024, 1)} KB/room`,
        `errors ${o.errors}${o.errors ? ` ${JSON.stringify(o.errorCodes)}` : ""}`,
      ].join(" | "),
    );
  }
} finally {
  for (const f of cleanups.reverse()) await f();
}
