/**
 * One measured run: idle sample, load processes connect and join (join
 * bytes counted by the clients), warm-up, then the measured window with
 * /proc and loop/GC samples at both ends.
 */
import type { ChildProcess } from "node:child_process";
import { nextMessage, spawnChild, stopChild } from "./children.js";
import type { WorkerPlan, WorkerReady, WorkerResult } from "./ipc.js";
import type { Outcome } from "./report.js";
import { percentile } from "./stats.js";
import { type Target, sample } from "./targets.js";

export interface LoadShape {
  rooms: number;
  members: number;
  hz: number;
  workers: number;
  seconds: number;
  warmup: number;
  eventChance: number;
  concurrency: number;
  roomsPerIp: number;
  /** Write a heap snapshot of the server once everyone has joined (serve mode). */
  heapSnapshot?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(target: Target, shape: LoadShape): Promise<Outcome> {
  const loaders: ChildProcess[] = [];
  try {
    await sleep(1000); // idle: after start-up work settles
    const idle = sample(target);
    const share = Math.ceil(shape.rooms / shape.workers);
    const joinStart = sample(target);
    for (let w = 0; w < shape.workers; w++) {
      const mine = Math.min(share, shape.rooms - w * share);
      if (mine <= 0) break;
      const child = spawnChild("./load-worker.ts");
      const plan: WorkerPlan = {
        urls: target.urls,
        roomOffset: w * share,
        roomsPerIp: shape.roomsPerIp,
        rooms: mine,
        members: shape.members,
        hz: shape.hz,
        eventChance: shape.eventChance,
        seconds: shape.seconds,
        concurrency: Math.max(shape.members, Math.floor(shape.concurrency / shape.workers)),
      };
      loaders.push(child);
      child.send({ kind: "plan", plan });
    }
    const ready = await Promise.all(loaders.map((c) => nextMessage<WorkerReady>(c, "connected", 900_000)));
    const held = sample(target);
    const connections = await target.connections();
    if (shape.heapSnapshot) await target.heapSnapshot?.();
    for (const c of loaders) c.send({ kind: "go" });
    // Steady state only: the first `warmup` s (every host's first play, JIT) are not measured.
    await sleep(shape.warmup * 1000);
    const loop0 = await target.loop();
    const start = sample(target);
    for (const c of loaders) c.send({ kind: "measure" });
    await sleep(shape.seconds * 1000);
    const end = sample(target);
    const results = loaders.map((c) => nextMessage<WorkerResult>(c, "result"));
    for (const c of loaders) c.send({ kind: "halt" });
    const done = await Promise.all(results);
    // Read the loop and GC figures only once the generators stopped timing: serve's are a /metrics scrape, which must
    // not land in the fan-out window (the relay's come over IPC, off its socket path).
    const loop1 = await target.loop();
    const lat = done.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const delivered = done.reduce((n, r) => n + r.delivered, 0);
    const sent = done.reduce((n, r) => n + r.sent, 0);
    const cpuUs = end.cpuUs - start.cpuUs;
    const opened = ready.reduce((n, r) => n + r.connections, 0);
    const joinBytesByType: Record<string, number> = {};
    for (const r of ready) for (const [t, b] of Object.entries(r.joinBytesByType)) joinBytesByType[t] = (joinBytesByType[t] ?? 0) + b;
    const failures = ready.flatMap((r) => r.failures);
    if (failures.length) console.log(`  failures (first few): ${failures.slice(0, 3).join(" / ")}`);
    const perConn = Number.isFinite(connections) ? connections : opened;
    return {
      name: target.name,
      connections: perConn,
      failed: ready.reduce((n, r) => n + r.failed, 0),
      stillOpen: done.reduce((n, r) => n + r.open, 0),
      deliveredPerSec: delivered / shape.seconds,
      sentPerSec: sent / shape.seconds,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      p999: percentile(lat, 99.9),
      max: lat.at(-1) ?? Number.NaN,
      cpuPct: (cpuUs / (shape.seconds * 1e6)) * 100,
      cpuUsPerDelivery: delivered ? cpuUs / delivered : Number.NaN,
      joinCpuS: (held.cpuUs - joinStart.cpuUs) / 1e6,
      idleRssMb: idle.rssBytes / 2 ** 20,
      rssMb: held.rssBytes / 2 ** 20,
      rssPerConnKb: perConn ? (held.rssBytes - idle.rssBytes) / perConn / 1024 : Number.NaN,
      joinBytesPerMember: opened ? ready.reduce((n, r) => n + r.joinBytes, 0) / opened : Number.NaN,
      joinBytesByType,
      loopP99Ms: loop1.loopP99Ms,
      loopMaxMs: loop1.loopMaxMs,
      gcPerSec: (loop1.gcCount - loop0.gcCount) / shape.seconds,
      gcMsPerSec: (loop1.gcMs - loop0.gcMs) / shape.seconds,
      gcOver10ms: loop1.gcOver10ms - loop0.gcOver10ms,
      errors: done.reduce((n, r) => n + r.errors, 0),
      errorCodes: done.reduce<Record<string, number>>((all, r) => {
        for (const [code, k] of Object.entries(r.errorCodes ?? {})) all[code] = (all[code] ?? 0) + k;
        return all;
      }, {}),
    };
  } finally {
    await Promise.all(loaders.map((c) => stopChild(c)));
    await target.stop();
  }
}
