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

/** The character loop alone (no shortcut): what jsonComplexity must answer for every text. */
function scanned(text: string, l: { maxDepth: number; maxValues: number }): string | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > l.maxDepth) return `nesting deeper than ${l.maxDepth}`;
    } else if (c === "}" || c === "]") depth--;
    else if (c === "," || c === ":") {
      if (++values > l.maxValues) return `more than ${l.maxValues} values`;
    }
  }
  return null;
}

test("the no-scan shortcut never changes an answer: short texts, brackets in strings, at and around both limits", { timeout: 30_000 }, () => {
  const parts = ["{", "}", "[", "]", ",", ":", '"', "\\", "a", "1", '"[{,:"', " "];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let checked = 0;
  for (const l of [limits, { maxDepth: 1, maxValues: 3 }, { maxDepth: 32, maxValues: 64 }]) {
    for (let k = 0; k < 20_000; k++) {
      let text = "";
      const len = rnd(90);
      while (text.length < len) text += parts[rnd(parts.length)];
      assert.equal(jsonComplexity(text, l), scanned(text, l), `${JSON.stringify(text)} with ${JSON.stringify(l)}`);
      checked++;
    }
  }
  assert.equal(checked, 60_000);
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
