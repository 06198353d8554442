/**
 * The source's modules form a one-way graph at run time (docs/architecture.md;
 * the project's conventions: when two modules need each other, one emits an
 * event or is handed a callback instead of importing back). This reads every
 * relative `import` / `export … from` under src/ that loads code — `import
 * type`, `export type` and imports of types only are erased by the compiler
 * and do not count — and fails naming each cycle it finds.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Relative specifiers a file loads at run time, resolved to .ts paths. */
function runtimeImports(file: string, text: string): string[] {
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+([^;]*?)\s+from\s+["'](\.{1,2}\/[^"']+)["']|^\s*import\s+["'](\.{1,2}\/[^"']+)["']/gms;
  for (const m of text.matchAll(statement)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const clause = m[2] ?? "";
    if (/^type\b/.test(clause)) continue;
    // `import { type A, type B } from` loads nothing; `import X, { type A }` or `{ a, type B }` does.
    const named = /^\{([^}]*)\}$/s.exec(clause.trim());
    if (named?.[1]?.split(",").every((part) => !part.trim() || /^type\s/.test(part.trim()))) continue;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  }
  return out;
}

/** Strongly connected components of more than one module (Tarjan), or a module importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test("the reader sees value imports and skips type-only ones", { timeout: 5_000 }, () => {
  const text = [
    'import type { A } from "./a.js";',
    'import { type B, type C } from "./b.js";',
    'import { d, type E } from "./d.js";',
    'import F from "./f.js";',
    'export { g } from "./g.js";',
    'export type { H } from "./h.js";',
    'import "./side-effect.js";',
    "import {\n  i,\n  j,\n} from \"../i.js\";",
    'import { readFileSync } from "node:fs";',
  ].join("\n");
  const got = runtimeImports("/x/src/m.ts", text).map((p) => relative("/x", p));
  assert.deepEqual(got.sort(), ["i.ts", "src/d.ts", "src/f.ts", "src/g.ts", "src/side-effect.ts"]);
  const ring = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["a"]],
  ]);
  assert.deepEqual(cycles(ring), [["a", "b", "c"]]);
});

test("no module under src/ imports itself back, directly or around a circle", { timeout: 30_000 }, () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) graph.set(file, runtimeImports(file, readFileSync(file, "utf8")));
  assert.ok(graph.size > 100, `read only ${graph.size} modules under ${SRC}`);
  const edges = [...graph.values()].reduce((n, deps) => n + deps.length, 0);
  assert.ok(edges > 200, `found only ${edges} relative imports: the reader has stopped seeing them`);
  const found = cycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(" → "));
  assert.deepEqual(found, [], `import cycles (break each with an event or a handed-in callback):\n${found.join("\n")}`);
});
