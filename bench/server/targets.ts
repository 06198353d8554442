/**
 * What the load runs against, all measured from outside the same way:
 * CPU and RSS from /proc/<pid>; connection count, event-loop delay and GC
 * from /metrics (`serve`) or over IPC (the bench's own children).
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { nextMessage, spawnChild, stopChild } from "./children.js";
import type { ServerReady, ServerStats } from "./ipc.js";
import { type ProcSample, procSample } from "./proc-stats.js";
import { type LoopAndGc, loopAndGc, scrape, startServe } from "./serve-target.js";

export interface Target {
  name: string;
  urls: string[];
  pids: number[];
  /** Open WebSocket connections as the server counts them. */
  connections(): Promise<number>;
  /** Event-loop delay since the previous call, and GC counters (cumulative). */
  loop(): Promise<LoopAndGc>;
  stop(): Promise<void>;
  /** Writes a .heapsnapshot of the server (serve mode; started with --heapsnapshot-signal=SIGUSR2). */
  heapSnapshot?(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const NO_LOOP: LoopAndGc = { loopP99Ms: Number.NaN, loopMaxMs: Number.NaN, gcCount: 0, gcMs: 0, gcOver10ms: 0 };

/** Sum of CPU and RSS over the target's processes. */
export function sample(t: Target): ProcSample {
  return t.pids.map(procSample).reduce((a, b) => ({ cpuUs: a.cpuUs + b.cpuUs, rssBytes: a.rssBytes + b.rssBytes }), {
    cpuUs: 0,
    rssBytes: 0,
  });
}

/** A bench child speaking the IPC protocol (bare-relay.ts, server-process.ts). */
export async function ipcTarget(name: string, file: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Target> {
  const child: ChildProcess = spawnChild(file, env, nodeFlags);
  const { port } = await nextMessage<ServerReady>(child, "listening");
  const stats = async () => {
    const reply = nextMessage<ServerStats>(child, "stats");
    child.send({ kind: "stats" });
    return reply;
  };
  return {
    name,
    urls: [`ws://127.0.0.1:${port}/ws`],
    pids: [child.pid!],
    connections: async () => (await stats()).connections,
    loop: async () => (await stats()).loop,
    stop: () => stopChild(child),
  };
}

/** The real `opensyncparty serve` (dist/cli/main.js); `args` are extra flags, `nodeArgs` go to node (e.g. --cpu-prof). */
export async function serveTarget(args: string[], nodeArgs: string[]): Promise<Target> {
  const s = await startServe(args, nodeArgs);
  console.log(`  serve pid ${s.pid}, http://127.0.0.1:${s.port}/metrics, data file and log in ${s.dir}`);
  const snapshots = () => readdirSync(s.dir).filter((f) => f.endsWith(".heapsnapshot"));
  const metricsUrl = `http://127.0.0.1:${s.port}/metrics`;
  return {
    name: "serve",
    urls: [`ws://127.0.0.1:${s.port}/ws`],
    pids: [s.pid],
    connections: async () => (await scrape(metricsUrl)).get("opensyncparty_connections") ?? Number.NaN,
    // GC counters from an empty "before": cumulative, like the IPC children's.
    loop: async () => loopAndGc(new Map(), await scrape(metricsUrl)),
    heapSnapshot: async () => {
      const before = snapshots().length;
      s.child.kill("SIGUSR2");
      // Written synchronously by the server; the file appears when it is done.
      while (snapshots().length === before || statSync(`${s.dir}/${snapshots().at(-1)}`).size === 0) await sleep(500);
      await sleep(2000);
      console.log(`  heap snapshot: ${s.dir}/${snapshots().at(-1)}`);
    },
    stop: async () => {
      await s.stop();
    },
  };
}

/** Servers started elsewhere (e.g. cluster instances): load only; CPU/RSS when their pids are given. */
export function externalTarget(urls: string[], pids: number[]): Target {
  return {
    name: "external",
    urls,
    pids,
    connections: async () => Number.NaN,
    loop: async () => NO_LOOP,
    stop: async () => {},
  };
}
