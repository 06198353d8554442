/**
 * One load process: opens its share of rooms (a host and members each),
 * then hosts send state_update at `hz` plus occasional player_events while
 * every member counts deliveries and fan-out latency (relayed `ts` is the
 * host's send time; sender and receivers live in this process, one clock).
 * Rooms go round-robin to the plan's URLs; each room's sockets come from one
 * loopback source address, `roomsPerIp` rooms to an address.
 */
import WebSocket from "ws";
import { type WorkerPlan, type WorkerReady, type WorkerResult, preciseNow, send } from "./ipc.js";

interface Inbound {
  type: string;
  room: string;
  client: string;
  ts: number;
}

type Phase = "joining" | "idle" | "measuring";
let phase: Phase = "joining";
let delivered = 0;
let sent = 0;
let errors = 0;
const errorCodes: Record<string, number> = {};
let joinBytes = 0;
const joinBytesByType: Record<string, number> = {};
const latencies: number[] = [];
const sockets: WebSocket[] = [];
const failures: string[] = [];

/** A socket whose next message of a type resolves a waiter; also counts join bytes and deliveries. */
function open(url: string, localAddress: string | undefined): Promise<{ ws: WebSocket; next: (type: string) => Promise<Inbound> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    let waiting: { type: string; resolve: (m: Inbound) => void; reject: (e: Error) => void } | null = null;
    // A refusal (server_full …) can arrive with the handshake, before anyone waits: kept for the next waiter.
    let refused: Error | null = null;
    ws.on("close", (code) => {
      refused ??= new Error(`closed ${code}`);
      const w = waiting;
      waiting = null;
      w?.reject(refused);
    });
    ws.on("message", (data: Buffer) => {
      if (phase === "idle" && !waiting) return;
      const m = JSON.parse(data.toString()) as Inbound;
      if (m.type === "error") {
        errors++;
        const code = (m as unknown as { payload?: { code?: string } }).payload?.code ?? "?";
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      }
      if (phase === "joining") {
        joinBytes += data.length;
        joinBytesByType[m.type] = (joinBytesByType[m.type] ?? 0) + data.length;
      }
      if (waiting && m.type === waiting.type) {
        const w = waiting;
        waiting = null;
        w.resolve(m);
      } else if (m.type === "error" && phase === "joining") {
        refused = new Error(`error ${JSON.stringify((m as unknown as { payload: unknown }).payload)}`);
        const w = waiting;
        waiting = null;
        w?.reject(refused);
      }
      if (phase === "measuring" && (m.type === "state_update" || m.type === "player_event") && m.client) {
        delivered++;
        latencies.push(preciseNow() - m.ts);
      }
    });
    const next = (type: string) =>
      new Promise<Inbound>((res, rej) => {
        if (refused) rej(refused);
        else waiting = { type, resolve: res, reject: rej };
      });
    ws.once("open", () => resolve({ ws, next }));
    ws.once("error", reject);
  });
}

/** The n-th loopback address after 127.1.0.0 (127.1.0.1, …, 127.1.0.254, 127.1.1.1, …). */
function loopbackAddress(n: number): string {
  const host = (n % 254) + 1;
  const net = Math.floor(n / 254);
  return `127.${1 + Math.floor(net / 256)}.${net % 256}.${host}`;
}

const envelope = (type: string, room: string, payload: object) => JSON.stringify({ type, room, payload, ts: preciseNow() });

/** Room g's member i connects to urls[(g + i) mod n]: with several servers (a cluster) each room's members are spread over them. */
async function openRoom(urls: string[], g: number, members: number, address: string | undefined): Promise<{ host: WebSocket; room: string }> {
  const url = (i: number) => urls[(g + i) % urls.length]!;
  const host = await open(url(0), address);
  sockets.push(host.ws);
  const created = host.next("room_state");
  host.ws.send(envelope("create_room", "", { name: "bench", start_pos: 0 }));
  const room = (await created).room;
  for (let i = 1; i < members; i++) {
    const member = await open(url(i), address);
    sockets.push(member.ws);
    const joined = member.next("room_state");
    member.ws.send(envelope("join_room", room, {}));
    await joined;
  }
  return { host: host.ws, room };
}

async function setup(plan: WorkerPlan) {
  const hosts: Array<{ host: WebSocket; room: string }> = [];
  let failed = 0;
  let next = 0;
  const parallel = Math.max(1, Math.floor(plan.concurrency / plan.members));
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < plan.rooms) {
        const g = plan.roomOffset + next++;
        const address = plan.roomsPerIp > 0 ? loopbackAddress(Math.floor(g / plan.roomsPerIp)) : undefined;
        try {
          hosts.push(await openRoom(plan.urls, g, plan.members, address));
        } catch (err) {
          failed++;
          if (failures.length < 5) failures.push(String(err));
        }
      }
    }),
  );
  phase = "idle";
  const ready: WorkerReady = { kind: "connected", connections: sockets.length, failed, joinBytes, joinBytesByType, failures };
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
      if (phase === "measuring") sent++;
      if (Math.random() < plan.eventChance) {
        host.send(envelope("player_event", room, { action: "seek", position }));
        if (phase === "measuring") sent++;
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
    phase = "measuring";
  } else if (m.kind === "halt") {
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    // let in-flight frames land before reporting
    setTimeout(() => {
      phase = "idle";
      const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
      const result: WorkerResult = { kind: "result", sent, delivered, latencies, open, errors, errorCodes };
      send(result);
    }, 500);
  } else if (m.kind === "stop") {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
