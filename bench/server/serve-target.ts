/**
 * The configuration users run: `npm start`'s `node [flags] dist/cli/main.js serve` (default data
 * file under a fresh working directory, default log level, JSON logs to a
 * file as when stdout is not a terminal), on a free port. Its event-loop
 * delay and GC pauses come from its own /metrics (prom-client default
 * metrics); CPU and RSS from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** The node flags `npm start` passes (package.json "start": "node <flags> dist/cli/main.js serve"), so the bench runs what users run. */
export function npmStartNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(1, words.indexOf("dist/cli/main.js"));
}

export interface ServeTarget {
  child: ChildProcess;
  pid: number;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `serve` with `args` (extra flags) and resolves once /health answers. */
export async function startServe(args: string[] = [], nodeArgs: string[] = []): Promise<ServeTarget> {
  const dir = mkdtempSync(join(tmpdir(), "osp-bench-"));
  const port = await freePort();
  const log = openSync(join(dir, "serve.log"), "a");
  const child = spawn(process.execPath, [...npmStartNodeFlags(), ...nodeArgs, MAIN, "serve", "--port", String(port), "--host", "127.0.0.1", ...args], {
    cwd: dir,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}); see ${dir}/serve.log`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`serve did not answer /health within 60 s; see ${dir}/serve.log`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid!,
    port,
    dir,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The Prometheus text of `url`, as name{labels} → value. */
export async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

export interface LoopAndGc {
  /** Event-loop delay over the window since the previous scrape, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** GC pauses between two scrapes: count, total ms, and how many took ≥ 10 ms. */
  gcCount: number;
  gcMs: number;
  gcOver10ms: number;
}

const sumOf = (m: Map<string, number>, prefix: string) =>
  [...m].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

/** Reads event-loop and GC figures from two scrapes (the later one's loop histogram covers the time between). */
export function loopAndGc(before: Map<string, number>, after: Map<string, number>): LoopAndGc {
  const gcCount = sumOf(after, "nodejs_gc_duration_seconds_count") - sumOf(before, "nodejs_gc_duration_seconds_count");
  const gcMs = (sumOf(after, "nodejs_gc_duration_seconds_sum") - sumOf(before, "nodejs_gc_duration_seconds_sum")) * 1000;
  const under10 = (m: Map<string, number>) =>
    [...m].filter(([k]) => k.startsWith("nodejs_gc_duration_seconds_bucket") && k.includes('le="0.01"')).reduce((n, [, v]) => n + v, 0);
  const gcOver10ms = gcCount - (under10(after) - under10(before));
  return {
    loopP99Ms: (after.get("nodejs_eventloop_lag_p99_seconds") ?? Number.NaN) * 1000,
    loopMaxMs: (after.get("nodejs_eventloop_lag_max_seconds") ?? Number.NaN) * 1000,
    gcCount,
    gcMs,
    gcOver10ms,
  };
}
