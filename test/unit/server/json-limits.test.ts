import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonComplexity } from "../../../src/server/core/json-limits.js";
import { ConnectionCounter, effectiveConnectionCap } from "../../../src/server/transport/connection-limits.js";

const limits = { maxDepth: 4, maxValues: 10 };

test("jsonComplexity counts nesting and separators outside strings only", { timeout: 30_000 }, () => {
  assert.equal(jsonComplexity('{"a":{"b":[1,2]}}', limits), null);
  assert.match(jsonComplexity('{"a":[[[[1]]]]}', limits) ?? "", /nesting deeper than 4/);
  assert.match(jsonComplexity(`[${Array(12).fill(0).join(",")}]`, limits) ?? "", /more than 10 values/);
  // Brackets, commas and escaped quotes inside strings are text, not structure.
  assert.equal(jsonComplexity(JSON.stringify({ t: '[[[[[[,,,,,,,,,,,,"\\"{{{{{' }), limits), null);
  assert.equal(jsonComplexity(JSON.stringify({ t: "\\" }) + "[[[[[", limits)?.startsWith("nesting"), true, "an escaped backslash ends the string");
});

test("the connection cap stays below the descriptor limit; the counter refuses per address and in all", { timeout: 30_000 }, () => {
  assert.equal(effectiveConnectionCap(10_000, 256, 20_000), 10_000);
  assert.equal(effectiveConnectionCap(10_000, 256, 1_024), 768);
  assert.equal(effectiveConnectionCap(10_000, 256, null), 10_000);
  const c = new ConnectionCounter(3, 2);
  c.add("a");
  c.add("a");
  assert.equal(c.refusal("a"), "too_many_connections");
  assert.equal(c.refusal("b"), null);
  c.add("b");
  assert.equal(c.refusal("b"), "server_full");
  c.remove("a");
  assert.equal(c.total, 2);
  assert.equal(c.refusal("a"), null);
  c.remove("c"); // never counted: nothing to take back
  assert.equal(c.total, 2);
  c.remove("a");
  c.remove("a");
  assert.equal(c.total, 1, "an address is never uncounted below zero");
});
