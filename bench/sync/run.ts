/**
 * `npm run bench:sync`: the deterministic sync simulation. Every scenario
 * runs twice — viewers on the real ClockSync + SyncEngine, then on the
 * OpenWatchParty-modelled baseline — and one table per scenario compares
 * them. Numbers are on the true simulation clock against true media positions.
 */
import { scenarios } from "./scenarios.js";
import { type Policy, type ScenarioResult, simulate } from "./simulate.js";

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 1 : 0) : "never");
const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : Number.NaN);
const convergence = (xs: number[]) => (xs.length ? `${fmt(median(xs))} / ${fmt(maxOf(xs))}` : "–");

function row(policy: Policy, r: ScenarioResult): string[] {
  const seeks = r.seeksPerViewer;
  return [
    policy,
    fmt(r.steadyP50Ms),
    fmt(r.steadyP95Ms),
    fmt(r.steadyMaxMs),
    fmt(r.transitionsP95Ms),
    convergence(r.joinConvergenceMs),
    convergence(r.commandConvergenceMs),
    convergence(r.recoveryMs),
    `${(seeks.reduce((a, b) => a + b, 0) / seeks.length).toFixed(2)} / ${maxOf(seeks)}`,
  ];
}

const HEADER = [
  "policy",
  "p50",
  "p95",
  "max",
  "p95 from instants",
  "join conv. med/max",
  "seek/play conv. med/max",
  "recovery med/max",
  "seeks/viewer mean/max",
];

function table(rows: string[][]): string {
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(HEADER), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const started = performance.now();
const only = process.argv[2];
const summary: string[][] = [];
console.log("Sync simulation — inter-viewer offset (max − min of true media positions), ms; convergence, ms;");
console.log("steady = playing, ≥ 3 s after any command and outside a viewer's own join/stall/reconnect window.\n");
for (const sc of scenarios) {
  if (only && !sc.name.includes(only)) continue;
  const ours = await simulate(sc, "ours");
  const base = await simulate(sc, "baseline");
  console.log(`## ${sc.name}`);
  console.log(table([row("ours", ours), row("baseline", base)]));
  const ratio = base.steadyP95Ms / ours.steadyP95Ms;
  console.log(`steady p95: ours ${fmt(ours.steadyP95Ms)} ms vs baseline ${fmt(base.steadyP95Ms)} ms (${ratio.toFixed(1)}× better)\n`);
  summary.push([sc.name.split(" (")[0]!, fmt(ours.steadyP95Ms), fmt(base.steadyP95Ms), `${ratio.toFixed(1)}×`]);
}
console.log("## summary: steady p95 inter-viewer offset, ms");
for (const s of summary) console.log(`- ${s[0]}: ours ${s[1]}, baseline ${s[2]} (${s[3]})`);
console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
