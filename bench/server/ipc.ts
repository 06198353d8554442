/** Messages between the bench orchestrator and its child processes (over Node IPC). */
import { readLoopAndGc } from "./loop-monitor.js";
import type { LoopAndGc } from "./serve-target.js";

export interface ServerStats {
  kind: "stats";
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  connections: number;
  /** Event-loop delay since the previous stats request; GC counters since start. */
  loop: LoopAndGc;
}

export interface ServerReady {
  kind: "listening";
  port: number;
}

export interface WorkerPlan {
  /** WebSocket URLs; rooms go to them round-robin (several servers, e.g. a cluster). */
  urls: string[];
  /** Global index of this worker's first room (so addresses and URLs spread evenly over workers). */
  roomOffset: number;
  /** Rooms per loopback source address (127.x.y.z), so the server's per-IP limits hold as for real users; 0 = all from 127.0.0.1. */
  roomsPerIp: number;
  rooms: number;
  members: number;
  /** Host state_update rate per room, Hz. */
  hz: number;
  /** Probability per state tick that the host also sends a player_event. */
  eventChance: number;
  seconds: number;
  /** Sockets being opened at once. */
  concurrency: number;
}

export interface WorkerReady {
  kind: "connected";
  connections: number;
  failed: number;
  /** Bytes of frame payload the clients received while connecting and joining (before the load starts), in all and by type. */
  joinBytes: number;
  joinBytesByType: Record<string, number>;
  /** Why connections failed (first few messages). */
  failures: string[];
}

export interface WorkerResult {
  kind: "result";
  sent: number;
  delivered: number;
  /** Fan-out latency samples, ms (relayed messages only). */
  latencies: number[];
  open: number;
  errors: number;
  /** Refusals by error code. */
  errorCodes?: Record<string, number>;
}

/** Wall-clock ms with sub-ms precision; comparable across processes on one machine. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export function send(msg: object): void {
  process.send?.(msg);
}

/** This process's CPU time, RSS and the given connection count, as the orchestrator expects them. */
export function processStats(connections: number): ServerStats {
  const cpu = process.cpuUsage();
  return {
    kind: "stats",
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: process.memoryUsage().rss,
    connections,
    loop: readLoopAndGc(),
  };
}
