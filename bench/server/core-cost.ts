/**
 * `node --import tsx bench/server/core-cost.ts [messages]`: the server core's JavaScript per inbound message, with
 * no network — createCore with no-op sockets, 200 rooms × 5, the bench's mix (a host's state_update, a seek on one
 * in ten) — against the relay's JavaScript for the same frames (parse, stamp, stringify once, four sends). Prints
 * µs per inbound message, medians of 5 rounds, for the memory store and for SQLite (a fresh file: the command writes).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { resolveConfig } from "../../src/server/config.js";
import type { Connection } from "../../src/server/core/connection.js";
import { createCore } from "../../src/server/core/core.js";
import { MemoryRoomStore } from "../../src/server/store/memory-store.js";
import type { RoomStore } from "../../src/server/store/room-store.js";
import { SqliteRoomStore } from "../../src/server/store/sqlite-store.js";

const N = Number(process.argv[2] ?? 50_000);
const ROOMS = 200;
let sent = 0;
let last = "";
class NullSocket {
  bufferedAmount = 0;
  send(d: string): void {
    sent++;
    last = d;
  }
  close(): void {}
}
const frame = (type: string, room: string, payload: object) => Buffer.from(JSON.stringify({ type, room, payload, ts: performance.now() }));

function setUp(store: RoomStore): Array<{ host: Connection; room: string; start: number }> {
  const clock = { now: () => Date.now(), setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (t: unknown) => clearTimeout(t as NodeJS.Timeout) };
  const core = createCore({ config: resolveConfig({ maxMessagesPerSecond: 1e9, messageBurst: 1e9 }), clock, store });
  return Array.from({ length: ROOMS }, (_, g) => {
    const ip = `10.0.${g >> 8}.${g & 255}`;
    const host = core.connect(new NullSocket(), { ip });
    host.receive(frame("create_room", "", { name: "bench", start_pos: 0 }), false);
    const room = (JSON.parse(last) as { room: string }).room;
    for (let i = 1; i < 5; i++) core.connect(new NullSocket(), { ip }).receive(frame("join_room", room, {}), false);
    host.receive(frame("player_event", room, { action: "play", position: 0 }), false);
    return { host, room, start: performance.now() };
  });
}

type Room = { host: { receive(data: Buffer, isBinary: boolean): void }; room: string; start: number };
function drive(rooms: Room[], n: number): number {
  let inbound = 0;
  const sentBefore = sent;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const r = rooms[k % ROOMS]!;
    const position = (performance.now() - r.start) / 1000;
    r.host.receive(frame("state_update", r.room, { position, play_state: "playing" }), false);
    inbound++;
    if (k % 10 === 0) {
      r.host.receive(frame("player_event", r.room, { action: "seek", position }), false);
      inbound++;
    }
  }
  const us = (1000 * (performance.now() - t0)) / inbound;
  // Four recipients per message (plus an ack per seek in the core): anything else means refusals, not relaying.
  const perMessage = (sent - sentBefore) / inbound;
  if (perMessage < 4 || perMessage > 4.2) throw new Error(`${perMessage.toFixed(2)} frames sent per inbound message: the harness is not relaying`);
  return us;
}

function relayRooms(): Room[] {
  const peers = [new NullSocket(), new NullSocket(), new NullSocket(), new NullSocket()];
  let c = 0;
  const host = {
    receive(data: Buffer): void {
      const msg = JSON.parse(data.toString()) as { client?: string; server_ts?: number };
      msg.client = `c${c++}`;
      msg.server_ts = Date.now();
      const text = JSON.stringify(msg);
      for (const p of peers) p.send(text);
    },
  };
  return Array.from({ length: ROOMS }, (_, g) => ({ host, room: `r${g}`, start: performance.now() }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), "osp-core-cost-"));
try {
  for (const [name, store] of [
    ["memory store", new MemoryRoomStore()],
    ["SQLite store", new SqliteRoomStore(join(dir, "rooms.db"))],
  ] as const) {
    const rooms = setUp(store);
    const relay = relayRooms();
    drive(rooms, 20_000);
    drive(relay, 20_000);
    const core: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      core.push(drive(rooms, N));
      bare.push(drive(relay, N));
    }
    console.log(
      `${name}: core ${median(core).toFixed(2)} µs per inbound message (rounds ${core.map((x) => x.toFixed(2)).join(" ")}), ` +
        `relay's JavaScript ${median(bare).toFixed(2)} µs, ratio ${(median(core) / median(bare)).toFixed(2)}×`,
    );
    store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
