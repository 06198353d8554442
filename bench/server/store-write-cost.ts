/**
 * `node --import tsx bench/server/store-write-cost.ts [writes]`: what one command's store write costs — a one-room
 * upsert in its own transaction, SqliteRoomStore's table and statement, into a file holding 1,000 rooms of 5 members
 * (≈ 1.3 KB snapshots), WAL and synchronous = NORMAL, automatic checkpoints included — with SQLite's normal locking
 * and with locking_mode = EXCLUSIVE (what the store sets). Variants alternate; 3 rounds each; mean, p50, p99, max.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { ROOMS_TABLE_SQL, UPSERT_ROOM_SQL } from "../../src/server/store/sqlite-store.js";

const WRITES = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), "osp-store-cost-"));

interface Snap {
  id: string;
  timeline: { position: number; at: number; playing: boolean; rate: number };
  [k: string]: unknown;
}
function room(i: number): Snap {
  const now = Date.now();
  return {
    id: `r${i.toString(36).padStart(9, "0")}`,
    name: `Room ${i}`,
    hostId: `c_host${i}`,
    timeline: { position: Math.random() * 1000, at: now, playing: true, rate: 1 },
    settings: { shared_control: false },
    media: { title: "Big Buck Bunny", url: "http://media.example/bbb.m3u8" },
    isPrivate: false,
    passwordHash: null,
    createdAt: now,
    chat: [],
    members: Array.from({ length: 5 }, (_, k) => ({
      id: `c_${i}_${k}_abcdefgh`,
      name: `Member ${k}`,
      resumeToken: `tok_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
      joinedAt: now,
      userId: null,
      canCreate: true,
      canJoin: true,
    })),
  };
}

function round(exclusive: boolean, n: number): { mean: number; p50: number; p99: number; max: number } {
  const file = join(dir, `${exclusive ? "exclusive" : "normal"}-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  if (exclusive) db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(ROOMS_TABLE_SQL);
  const upsert = db.prepare(UPSERT_ROOM_SQL);
  const write = db.transaction((rooms: Snap[]) => {
    const now = Date.now();
    for (const r of rooms) upsert.run(r.id, JSON.stringify(r), now);
  });
  const rooms = Array.from({ length: 1000 }, (_, i) => room(i));
  write(rooms);
  const times: number[] = [];
  for (let k = 0; k < n; k++) {
    const r = rooms[Math.floor(Math.random() * rooms.length)]!;
    r.timeline = { ...r.timeline, position: Math.random() * 1000, at: Date.now() };
    const t0 = performance.now();
    write([r]);
    times.push(performance.now() - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  const us = (ms: number) => ms * 1000;
  return {
    mean: us(times.reduce((a, b) => a + b, 0) / n),
    p50: us(times[Math.floor(n / 2)]!),
    p99: us(times[Math.floor(n * 0.99)]!),
    max: us(times[n - 1]!),
  };
}

try {
  for (let i = 1; i <= 3; i++) {
    for (const exclusive of [false, true]) {
      const r = round(exclusive, WRITES);
      console.log(
        `round ${i} ${exclusive ? "exclusive" : "normal   "} locking: mean ${r.mean.toFixed(1)} µs, p50 ${r.p50.toFixed(1)} µs, ` +
          `p99 ${r.p99.toFixed(1)} µs, max ${(r.max / 1000).toFixed(2)} ms per one-room write (${WRITES} writes)`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
