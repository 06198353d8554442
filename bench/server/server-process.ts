/**
 * The OpenSyncParty server under test, alone in its own process. Reports
 * its port once listening, and its CPU/RSS/connection count on request.
 */
import { createServer } from "../../src/server/index.js";
import { processStats, send } from "./ipc.js";
import { measuredWindowProfiler } from "./profile.js";

const maxMessagesPerSecond = Number(process.env.BENCH_MAX_MPS ?? 30);
const server = createServer({
  port: 0,
  host: "127.0.0.1",
  logLevel: "silent",
  maxRooms: 100_000,
  // Every load client connects from 127.0.0.1: the per-address limits would refuse them.
  maxConnectionsPerIp: 0,
  maxRoomsPerIp: 0,
  maxMessagesPerSecond,
  messageBurst: Math.max(60, maxMessagesPerSecond * 2),
  ...(process.env.BENCH_HEARTBEAT_MS ? { heartbeatIntervalMs: Number(process.env.BENCH_HEARTBEAT_MS) } : {}),
  ...(process.env.BENCH_STATE_BROADCAST_MS ? { stateBroadcastIntervalMs: Number(process.env.BENCH_STATE_BROADCAST_MS) } : {}),
});
const { port } = await server.listen();
const onStatsRequest = measuredWindowProfiler(process.env.BENCH_CPU_PROF);
send({ kind: "listening", port });

process.on("message", (m: { kind: string }) => {
  if (m.kind === "stats") {
    onStatsRequest();
    send(processStats(server.core.stats().connections));
  } else if (m.kind === "stop") {
    void server.close().then(() => process.exit(0));
  }
});
