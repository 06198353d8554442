/**
 * Idle RSS of the command users run, A/B: `node --import tsx bench/server/idle-rss.ts
 * [--starts 5] [--late-s 30] [main.js …]` starts `node <npm start's flags> <main.js> serve` for each
 * given build (default: this checkout's dist/cli/main.js) in turn, each in a fresh directory
 * (default data file, default log level, no client), and reads /proc/PID/status 1 s after /health
 * answers (the bench's `RSS idle`), 10 s after, and `--late-s` after (settled: the memory
 * reducer's GCs run at ≈ 17 s and ≈ 25 s while the marking task is off). Prints medians of VmRSS /
 * RssAnon / RssFile in MB (2^20 bytes) per build and sample.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { npmStartNodeFlags } from "./serve-target.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { starts: { type: "string", default: "5" }, "late-s": { type: "string", default: "30" } },
});
const builds = positionals.length ? positionals.map((p) => resolve(p)) : [fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url))];
const lateMs = Number(values["late-s"]) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

/** VmRSS, RssAnon, RssFile in MB. */
function rss(pid: number): number[] {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return ["VmRSS", "RssAnon", "RssFile"].map((k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(status)?.[1]) / 1024);
}

async function once(main: string, port: number): Promise<number[][]> {
  const dir = mkdtempSync(join(tmpdir(), "osp-idle-"));
  const child = spawn(process.execPath, [...npmStartNodeFlags(), main, "serve", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${main} serve exited (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error(`${main} serve did not answer /health within 60 s`);
      if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    const samples: number[][] = [];
    for (const at of [1000, 10_000, lateMs]) {
      await sleep(at - (samples.length ? [1000, 10_000][samples.length - 1]! : 0));
      samples.push(rss(child.pid!));
    }
    return samples;
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = builds.map(() => [] as number[][][]);
for (let i = 0; i < Number(values.starts); i++) {
  for (const [b, main] of builds.entries()) {
    const s = await once(main, await freePort());
    results[b]!.push(s);
    console.error(`${main} start ${i + 1}: ${s.map((x) => x.map((v) => v.toFixed(1)).join("/")).join("  ")}`);
  }
}
const labels = ["1 s", "10 s", `${lateMs / 1000} s`];
for (const [b, main] of builds.entries()) {
  const cells = labels.map((label, k) => `${label} ${[0, 1, 2].map((f) => median(results[b]!.map((s) => s[k]![f]!)).toFixed(1)).join(" / ")}`);
  console.log(`${main}: ${cells.join("   ")}`);
}
