/** Messages between the bench orchestrator and its child processes (over Node IPC). */
export interface ServerStats {
  kind: "stats";
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  connections: number;
}

export interface ServerReady {
  kind: "listening";
  port: number;
}

export interface WorkerPlan {
  port: number;
  /** bench:cluster: one port per instance; room r's host uses ports[r % n], its member i ports[(r + i) % n]. */
  ports?: number[];
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
}

export interface WorkerResult {
  kind: "result";
  sent: number;
  delivered: number;
  /** Fan-out latency samples, ms (relayed messages only). */
  latencies: number[];
  open: number;
  errors: number;
  /** `error` frames by code. */
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
  return { kind: "stats", cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rssBytes: process.memoryUsage().rss, connections };
}
