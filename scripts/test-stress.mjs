#!/usr/bin/env node
// `npm run test:stress`: the whole `npm test` with two CPU-burning processes
// running beside it, as on a busy CI machine. Tests must wait on events, not
// on a quiet machine; this is how to check. Extra arguments go to run-tests
// (path filters), e.g. `npm run test:stress -- test/browser`.
// BURNERS=n changes the number of burners (default 2).
import { spawn } from "node:child_process";

const count = Number(process.env.BURNERS ?? 2);
const burners = Array.from({ length: count }, () =>
  spawn(process.execPath, ["-e", "for (;;) Math.sqrt(Math.random());"], { stdio: "ignore" }),
);
const stop = () => {
  for (const b of burners) b.kill("SIGKILL");
};
process.on("exit", stop);
console.log(`test:stress: ${count} CPU burners running (pids ${burners.map((b) => b.pid).join(", ")})`);

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const filters = process.argv.slice(2);
const steps = filters.length > 0 ? [["run", "build"]] : [["run", "lint"], ["run", "typecheck"], ["run", "build"]];
for (const args of steps) {
  const code = await run(npm, args);
  if (code !== 0) process.exit(code);
}
process.exit(await run(process.execPath, ["scripts/run-tests.mjs", ...filters]));

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
