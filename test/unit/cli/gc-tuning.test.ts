/**
 * The serving process's V8 setting is applied only on the V8 line it was
 * measured on: an unknown flag would print "unrecognized flag" at start.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { keepMarkingOffTheLoop } from "../../../src/cli/gc-tuning.js";

test("keepMarkingOffTheLoop applies on V8 11 (Node 20) only", { timeout: 15_000 }, () => {
  assert.equal(keepMarkingOffTheLoop("12.4.254.21-node.33"), false, "another V8 line is left alone");
  assert.equal(keepMarkingOffTheLoop("13.6.233.10"), false);
  assert.equal(keepMarkingOffTheLoop("11.3.244.8-node.33"), true);
});

test("this Node accepts the flag: setting it prints nothing and the process carries on", { timeout: 15_000 }, (t) => {
  if (!process.versions.v8.startsWith("11.")) return t.skip(`V8 ${process.versions.v8}: the setting is not applied there`);
  const r = spawnSync(process.execPath, ["-e", 'require("node:v8").setFlagsFromString("--no-incremental-marking-task"); console.log("carried on")'], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "carried on\n", `V8 knows the flag (an unknown one prints "unrecognized flag"): ${r.stdout}${r.stderr}`);
  assert.equal(r.stderr, "");
});
