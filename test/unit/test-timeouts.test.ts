/**
 * No test can hang the suite: every test, suite and `it` in every test file
 * names its own timeout (scripts/run-tests.mjs also passes a global
 * --test-timeout as the last line of defence).
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith(".test.ts") ? [p] : [];
  });
}

test("every test, describe and it call in test/ passes a timeout", { timeout: 30_000 }, () => {
  const missing: string[] = [];
  for (const file of testFiles("test")) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/^\s*(test|it|describe)(\.\w+)?\(/.test(line) && !line.includes("timeout")) missing.push(`${file}:${i + 1}`);
      });
  }
  assert.deepEqual(missing, [], "calls without { timeout }");
});
