/**
 * `npm run bench:server [-- --mode serve --rooms 2000 --members 5 --seconds 20 --runs 3]`
 *
 * R rooms × M members over loopback. The server runs in its own process —
 * `createServer()` in a bench child (`--mode inproc`, the default) or the
 * real `opensyncparty serve` (`--mode serve`) — and the load in `workers`
 * other processes. The same load then runs against a bare `ws` relay (the
 * ceiling), alternating `runs` times; the report gives medians and ratios.
 * `--urls ws://a/ws,ws://b/ws [--pids 1,2]` loads servers started elsewhere.
 * `--relay-node-flags default|npm-start|"<flags>"`: the relay's node flags (Node's defaults, those `npm start` gives
 * serve, or the ones listed).
 * `--durable-relay` adds a third target in each run: the relay writing each command's room to SQLite before
 * relaying it (bare-relay.ts, RELAY_STORE_FILE) — what storing before handing out costs with no code of ours.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Outcome, printMedians, printOutcome } from "./report.js";
import { runLoad } from "./load.js";
import { npmStartNodeFlags } from "./serve-target.js";
import { type Target, externalTarget, ipcTarget, serveTarget } from "./targets.js";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "inproc" },
    rooms: { type: "string", default: "2000" },
    members: { type: "string", default: "5" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    hz: { type: "string", default: "1" },
    "event-chance": { type: "string", default: "0.1" },
    workers: { type: "string" },
    concurrency: { type: "string", default: "200" },
    target: { type: "string", default: "both" },
    runs: { type: "string", default: "1" },
    "rooms-per-ip": { type: "string", default: "10" },
    "serve-args": { type: "string", default: "" },
    "node-args": { type: "string", default: "" },
    "relay-node-flags": { type: "string", default: "default" },
    "heap-snapshot": { type: "boolean", default: false },
    "durable-relay": { type: "boolean", default: false },
    urls: { type: "string" },
    pids: { type: "string" },
  },
});
const rooms = Number(values.rooms);
const members = Number(values.members);
const hz = Number(values.hz);
// One generator process holds at most ~19,000 sockets (its descriptor limit is 20,000): at least one per 8,000.
const workers = Number(values.workers ?? Math.max(2, Math.ceil((rooms * members) / 8000)));
const split = (s: string | undefined) => (s ? s.split(/[ ,]+/).filter(Boolean) : []);
// The relay runs with Node's default flags (the ceiling every earlier figure used); `--relay-node-flags npm-start` gives it
// the flags `npm start` gives serve (the same V8 heap settings: code against code), `"<flags>"` those flags.
const relayFlagsArg = values["relay-node-flags"];
const relayNodeFlags = relayFlagsArg === "npm-start" ? npmStartNodeFlags() : relayFlagsArg === "default" ? [] : split(relayFlagsArg);

async function makeTarget(kind: "party" | "bare" | "durable"): Promise<Target> {
  // Hosts send hz state_updates plus occasional player_events: stay inside the per-connection rate limit.
  const mps = String(Math.max(30, Math.ceil(hz * 2 + 10)));
  if (kind === "bare") return ipcTarget("bare ws relay", "./bare-relay.ts", {}, relayNodeFlags);
  if (kind === "durable") {
    const file = join(mkdtempSync(join(os.tmpdir(), "osp-bench-relay-")), "rooms.db");
    return ipcTarget("relay+sqlite", "./bare-relay.ts", { RELAY_STORE_FILE: file }, relayNodeFlags);
  }
  if (values.urls) return externalTarget(split(values.urls), split(values.pids).map(Number));
  if (values.mode === "serve") {
    const extra = Number(mps) > 30 ? ["--max-messages-per-second", mps, "--message-burst", String(Number(mps) * 2)] : [];
    const nodeArgs = [...split(values["node-args"]), ...(values["heap-snapshot"] ? ["--heapsnapshot-signal=SIGUSR2"] : [])];
    return serveTarget([...extra, ...split(values["serve-args"])], nodeArgs);
  }
  return ipcTarget("opensyncparty", "./server-process.ts", { BENCH_MAX_MPS: mps });
}

console.log(
  `bench:server --mode ${values.urls ? "external" : values.mode}: ${rooms} rooms × ${members} members, ${values.seconds} s (+${values.warmup} s warm-up) ` +
    `at ${hz} Hz, ${workers} load processes, ${values.runs} run(s), relay node flags [${relayNodeFlags.join(" ")}]; ${os.cpus().length} CPUs, load average ` +
    `${os.loadavg().map((n) => n.toFixed(1)).join(" ")}, node ${process.version}, ${new Date().toISOString()}`,
);
const kinds = (["party", "bare", "durable"] as const).filter((k) =>
  k === "durable" ? values["durable-relay"] : values.target === "both" || values.target === k,
);
const outcomes: Outcome[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  for (const kind of kinds) {
    const target = await makeTarget(kind);
    const o = await runLoad(target, {
      rooms,
      members,
      hz,
      workers,
      seconds: Number(values.seconds),
      warmup: Number(values.warmup),
      eventChance: Number(values["event-chance"]),
      concurrency: Number(values.concurrency),
      roomsPerIp: Number(values["rooms-per-ip"]),
      heapSnapshot: values["heap-snapshot"],
    });
    outcomes.push(o);
    printOutcome(o);
  }
}
printMedians(outcomes);
process.exit(0);
