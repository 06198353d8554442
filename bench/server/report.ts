/** The bench's printed figures: one line per run, then medians per target and ratios against the relay. */
import { fmt, median } from "./stats.js";

export interface Outcome {
  name: string;
  connections: number;
  failed: number;
  stillOpen: number;
  deliveredPerSec: number;
  sentPerSec: number;
  /** Fan-out latency, ms. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  cpuPct: number;
  cpuUsPerDelivery: number;
  /** Server CPU while every client connected and joined, s. */
  joinCpuS: number;
  idleRssMb: number;
  rssMb: number;
  rssPerConnKb: number;
  /** Frame payload bytes each client received while connecting and joining. */
  joinBytesPerMember: number;
  joinBytesByType: Record<string, number>;
  loopP99Ms: number;
  loopMaxMs: number;
  gcPerSec: number;
  gcMsPerSec: number;
  gcOver10ms: number;
  errors: number;
  /** Refusals by error code (what the errors were). */
  errorCodes: Record<string, number>;
}

type NumericKey = { [K in keyof Outcome]: Outcome[K] extends number ? K : never }[keyof Outcome];

const LINE: Array<[string, NumericKey, number, string]> = [
  ["conns", "connections", 0, ""],
  ["failed", "failed", 0, ""],
  ["delivered", "deliveredPerSec", 0, "/s"],
  ["fan-out p50", "p50", 2, " ms"],
  ["p99", "p99", 2, " ms"],
  ["p99.9", "p999", 1, " ms"],
  ["max", "max", 1, " ms"],
  ["CPU", "cpuPct", 1, " %"],
  ["CPU/delivery", "cpuUsPerDelivery", 1, " µs"],
  ["join CPU", "joinCpuS", 2, " s"],
  ["RSS idle", "idleRssMb", 1, " MB"],
  ["RSS", "rssMb", 0, " MB"],
  ["RSS/conn", "rssPerConnKb", 2, " KB"],
  ["join bytes/member", "joinBytesPerMember", 0, " B"],
  ["loop p99", "loopP99Ms", 1, " ms"],
  ["loop max", "loopMaxMs", 1, " ms"],
  ["GC", "gcPerSec", 1, "/s"],
  ["GC time", "gcMsPerSec", 1, " ms/s"],
  ["GC ≥10 ms", "gcOver10ms", 0, ""],
  ["errors", "errors", 0, ""],
];

const line = (name: string, get: (k: NumericKey) => number) =>
  `${name.padEnd(14)} ${LINE.map(([label, k, d, unit]) => `${label} ${fmt(get(k), d)}${unit}`).join(" | ")}`;

export function printOutcome(o: Outcome): void {
  console.log(line(o.name, (k) => o[k]));
  const bytes = Object.entries(o.joinBytesByType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, b]) => `${t} ${fmt(b / Math.max(1, o.connections), 0)}`)
    .join(", ");
  console.log(`${"".padEnd(14)} join bytes/member by type: ${bytes}`);
  if (o.errors > 0) console.log(`${"".padEnd(14)} errors by code: ${JSON.stringify(o.errorCodes)}`);
}

/** Medians per target; ratio lines compare every target with the bare relay. */
export function printMedians(all: Outcome[]): void {
  const names = [...new Set(all.map((o) => o.name))];
  const med = new Map(names.map((n) => [n, (k: NumericKey) => median(all.filter((o) => o.name === n).map((o) => o[k]))]));
  console.log(`medians of ${all.length / names.length} run(s):`);
  for (const [n, get] of med) console.log(line(n, get));
  const bare = med.get("bare ws relay");
  if (!bare) return;
  for (const [n, get] of med) {
    if (n === "bare ws relay") continue;
    const r = (k: NumericKey) => `${fmt(get(k) / bare(k), 2)}×`;
    console.log(
      `ratio ${n}/relay: CPU per delivery ${r("cpuUsPerDelivery")}, fan-out p99 ${r("p99")}, p99.9 ${r("p999")}, max ${r("max")}, ` +
        `RSS/conn ${r("rssPerConnKb")}, join bytes/member ${r("joinBytesPerMember")}, join CPU ${r("joinCpuS")}, delivered ${r("deliveredPerSec")}`,
    );
  }
}
