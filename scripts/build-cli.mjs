#!/usr/bin/env node
// Bundles the command (src/cli/main.ts) into one file, dist/cli/main.js, over tsc's
// output of it. Loading zod, pino, prom-client, ws … as some 400 separate ES modules
// (zod alone pulls in every locale) cost `opensyncparty serve` ≈ 10 MB of memory at idle;
// one tree-shaken file does not (docs/benchmarks.md). The library entry points
// (dist/server, dist/client) stay tsc's modules. better-sqlite3 is native: not bundled.
import { build } from "esbuild";

const result = await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: ["node20"],
  external: ["better-sqlite3"],
  // Whitespace and syntax only: V8 keeps the source text in memory; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __ospCreateRequire } from "node:module";\nconst require = __ospCreateRequire(import.meta.url);' },
  metafile: true,
  logLevel: "warning",
});
for (const [file, info] of Object.entries(result.metafile.outputs)) console.log(`cli bundle ${file}: ${(info.bytes / 1024).toFixed(1)} KiB`);
