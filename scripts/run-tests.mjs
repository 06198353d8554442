#!/usr/bin/env node
// Runs every test file under test/ with Node's test runner (TypeScript via tsx).
// Usage: node scripts/run-tests.mjs [path-filter ...]
//
// Nothing can hang the run: every test sets its own timeout (pinned by
// test/unit/test-timeouts.test.ts); --test-timeout (TEST_TIMEOUT_MS, default
// 15 min) bounds each file as a whole — Node applies it to the file's own test
// too, so it must exceed the slowest file on a busy machine (the Jellyfin
// script file alone ran 180 s beside CPU burners and was cut off mid-test at
// the former 180 s default); --test-force-exit ends a file whose handles stay
// open after its tests, and the whole run is killed with a message after
// RUN_TIMEOUT_MS (default 45 min).
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk("test")
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const testTimeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 15 * 60_000);
const runTimeoutMs = Number(process.env.RUN_TIMEOUT_MS ?? 45 * 60_000);
const flags = ["--import", "tsx", "--test", "--test-reporter=spec", `--test-timeout=${testTimeoutMs}`];
// --test-force-exit exists from Node 20.14 / 22.0.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major > 20 || (major === 20 && minor >= 14)) flags.push("--test-force-exit");

const child = spawn(process.execPath, [...flags, ...files], { stdio: "inherit", env: process.env, detached: true });
const watchdog = setTimeout(() => {
  console.error(`\nrun-tests: the test run exceeded RUN_TIMEOUT_MS (${runTimeoutMs} ms); killing it. Look for the last test that started above.`);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
  process.exit(1);
}, runTimeoutMs);
const forward = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {}
};
process.on("SIGINT", () => forward("SIGINT"));
process.on("SIGTERM", () => forward("SIGTERM"));
child.on("exit", (code, signal) => {
  clearTimeout(watchdog);
  process.exit(code ?? (signal ? 1 : 0));
});
