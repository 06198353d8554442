/**
 * The command's bundle (scripts/build-cli.mjs, built here in memory with the script's own options):
 * what a default `opensyncparty serve` evaluates at start — dist/cli/main.js and every chunk it
 * imports statically — holds no cluster mode (ioredis), no Jellyfin proxy (http-proxy-3) and no TLS
 * module; each of those sits in a chunk reached only through a dynamic import()
 * (src/server/optional-modules.ts), read when `--redis-url`, `--proxy-jellyfin` or `--tls-cert`
 * asks for it. That kept ≈ 10 MB off the idle process (docs/benchmarks.md, issue 14); the figure
 * itself belongs in the bench, not here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BuildOptions, Metafile } from "esbuild";
import { build } from "esbuild";

/** Source paths (as esbuild's metafile names them) only some options need. */
const OPTIONAL = [/^node_modules\/ioredis\//, /^node_modules\/http-proxy-3\//, /^src\/server\/cluster\//, /^src\/server\/proxy\//, /^src\/server\/transport\/tls\.ts$/];

/** Outputs reachable from `from` following only imports of the given kinds. */
function reachable(meta: Metafile, from: string, kinds: Set<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of meta.outputs[file]?.imports ?? []) if (!imp.external && kinds.has(imp.kind)) todo.push(imp.path);
  }
  return seen;
}

const inputsOf = (meta: Metafile, outputs: Set<string>) => [...outputs].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));

test("a default serve's static module graph holds no ioredis, cluster, proxy or TLS code; each is a lazily imported chunk", { timeout: 120_000 }, async () => {
  const { CLI_BUILD } = (await import("../../scripts/build-cli.mjs" as string)) as { CLI_BUILD: BuildOptions };
  const { metafile } = await build({ ...CLI_BUILD, write: false, metafile: true, logLevel: "silent" });
  const entry = "dist/cli/main.js";
  assert.ok(metafile.outputs[entry], `the build has an output ${entry}`);
  const atStart = inputsOf(metafile, reachable(metafile, entry, new Set(["import-statement"])));
  const anyTime = inputsOf(metafile, reachable(metafile, entry, new Set(["import-statement", "dynamic-import"])));
  for (const pattern of OPTIONAL) {
    const eager = atStart.filter((f) => pattern.test(f));
    assert.deepEqual(eager, [], `${pattern} is loaded by every serve: import it through src/server/optional-modules.ts`);
    // Live check: the part is still in the command, only later — so this test cannot pass by the part vanishing.
    assert.ok(anyTime.some((f) => pattern.test(f)), `${pattern} is in no chunk of the command at all`);
  }
});

test("better-sqlite3's JS is in the bundle and its native addon is loaded without `bindings`' path probing", { timeout: 120_000 }, async () => {
  const { CLI_BUILD } = (await import("../../scripts/build-cli.mjs" as string)) as { CLI_BUILD: BuildOptions };
  const { metafile } = await build({ ...CLI_BUILD, write: false, metafile: true, logLevel: "silent" });
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.some((f) => /^node_modules\/better-sqlite3\/lib\/database\.js$/.test(f)), "better-sqlite3/lib is bundled");
  assert.deepEqual(inputs.filter((f) => /node_modules\/bindings\//.test(f)), [], "`bindings` is replaced, not bundled");
  assert.ok(inputs.includes("bsql-addon:better-sqlite3-addon"), "the addon loader stands in for `bindings`");
});
