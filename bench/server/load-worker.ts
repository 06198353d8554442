/**
 * One load process: opens its share of rooms (a host and members each),
 * then hosts send state_update at `hz` plus occasional player_events while
 * every member counts deliveries and fan-out latency (relayed `ts` is the
 * host's send time; sender and receivers live in this process, one clock).
 */
import WebSocket from "ws";
import { type WorkerPlan, type WorkerReady, type WorkerResult, preciseNow, send } from "./ipc.js";

interface Inbound {
  type: string;
  room: string;
  client: string;
  ts: number;
}

let measuring = false;
let delivered = 0;
let sent = 0;
let errors = 0;
const errorCodes: Record<string, number> = {};
function countError(m: { payload?: { code?: string } }): void {
  errors++;
  const code = m.payload?.code ?? "?";
  errorCodes[code] = (errorCodes[code] ?? 0) + 1;
}
const latencies: number[] = [];
const sockets: WebSocket[] = [];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function waitFor(ws: WebSocket, type: string): Promise<Inbound> {
  return new Promise((resolve, reject) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Inbound & { payload?: { code?: string } };
      if (m.type === "error") {
        countError(m);
        // Refused while setting up (e.g. room_not_found): this room fails instead of waiting forever.
        ws.off("message", on);
        reject(new Error(`${type} refused: ${m.payload?.code}`));
        return;
      }
      if (m.type !== type) return;
      ws.off("message", on);
      resolve(m);
    };
    ws.on("message", on);
  });
}

function count(ws: WebSocket): void {
  ws.on("message", (data) => {
    if (!measuring) return;
    const m = JSON.parse(data.toString()) as Inbound & { payload?: { code?: string } };
    if (m.type === "error") countError(m);
    if ((m.type !== "state_update" && m.type !== "player_event") || !m.client) return;
    delivered++;
    latencies.push(preciseNow() - m.ts);
  });
}

const envelope = (type: string, room: string, payload: object) =>
  JSON.stringify({ type, room, payload, ts: preciseNow() });

async function openRoom(urls: string[], index: number, members: number): Promise<{ host: WebSocket; room: string }> {
  const url = (i: number) => urls[(index + i) % urls.length]!;
  const host = await open(url(0));
  sockets.push(host);
  const created = waitFor(host, "room_state");
  host.send(envelope("create_room", "", { name: "bench", start_pos: 0 }));
  const room = (await created).room;
  count(host);
  for (let i = 1; i < members; i++) {
    const ws = await open(url(i));
    sockets.push(ws);
    const joined = waitFor(ws, "room_state");
    ws.send(envelope("join_room", room, {}));
    await joined;
    count(ws);
  }
  return { host, room };
}

async function setup(plan: WorkerPlan) {
  const urls = (plan.ports ?? [plan.port]).map((port) => `ws://127.0.0.1:${port}/ws`);
  const hosts: Array<{ host: WebSocket; room: string }> = [];
  let failed = 0;
  let next = 0;
  const parallel = Math.max(1, Math.floor(plan.concurrency / plan.members));
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < plan.rooms) {
        const index = next++;
        try {
          hosts.push(await openRoom(urls, index, plan.members));
        } catch {
          failed++;
        }
      }
    }),
  );
  const ready: WorkerReady = { kind: "connected", connections: sockets.length, failed };
  send(ready);
  return hosts;
}

function drive(plan: WorkerPlan, hosts: Array<{ host: WebSocket; room: string }>): Array<NodeJS.Timeout> {
  const period = 1000 / plan.hz;
  const timers: NodeJS.Timeout[] = [];
  for (const { host, room } of hosts) {
    const start = preciseNow();
    const tick = () => {
      const position = (preciseNow() - start) / 1000;
      host.send(envelope("state_update", room, { position, play_state: "playing" }));
      if (measuring) sent++;
      if (Math.random() < plan.eventChance) {
        host.send(envelope("player_event", room, { action: "seek", position }));
        if (measuring) sent++;
      }
    };
    host.send(envelope("player_event", room, { action: "play", position: 0 }));
    const first = setTimeout(() => {
      tick();
      timers.push(setInterval(tick, period));
    }, Math.random() * period);
    timers.push(first);
  }
  return timers;
}

let plan: WorkerPlan | null = null;
let hosts: Array<{ host: WebSocket; room: string }> = [];
let timers: NodeJS.Timeout[] = [];

process.on("message", async (m: { kind: string; plan?: WorkerPlan }) => {
  if (m.kind === "plan" && m.plan) {
    plan = m.plan;
    hosts = await setup(plan);
  } else if (m.kind === "go" && plan) {
    timers = drive(plan, hosts);
  } else if (m.kind === "measure") {
    measuring = true;
  } else if (m.kind === "halt") {
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    // let in-flight frames land before reporting
    setTimeout(() => {
      measuring = false;
      const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
      const result: WorkerResult = { kind: "result", sent, delivered, latencies, open, errors, errorCodes };
      send(result);
    }, 500);
  } else if (m.kind === "stop") {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
