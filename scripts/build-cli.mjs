#!/usr/bin/env node
// Bundles the command (src/cli/main.ts) into one file, dist/cli/main.js, over tsc's
// output of it. Loading zod, pino, prom-client, ws … as some 400 separate ES modules
// (zod alone pulls in every locale) cost `opensyncparty serve` ≈ 10 MB of memory at idle;
// one tree-shaken file does not (docs/benchmarks.md). The library entry points
// (dist/server, dist/client) stay tsc's modules. better-sqlite3 is native: not bundled.
// Split: what `serve` imports only for some options (cluster mode with ioredis, the Jellyfin proxy,
// TLS: src/server/optional-modules.ts) lands in chunks of its own under dist/cli/chunks, read only
// when asked for. test/package/cli-bundle.test.ts pins that a default serve's static graph holds none.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { build } from "esbuild";

/**
 * zod re-exports every one of its ~50 message locales as `z.locales` (290 KiB, a third of the
 * bundle, parsed and held at start). The server never switches locale — English is registered from
 * locales/en.js directly (src/protocol/zod.ts) — so the bundle's `z.locales` holds English only.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    const en = createRequire(import.meta.url).resolve("zod/v4/locales/en.js");
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer) ? { path: "zod-locales-en", namespace: "zod-en" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, () => ({
      contents: `export { default as en } from ${JSON.stringify(en)};`,
      loader: "js",
      resolveDir: dirname(en),
    }));
  },
};

/**
 * better-sqlite3's own JS (13 small CommonJS files) goes into the bundle; only its native addon is
 * loaded from the installed package. Left external, Node's CommonJS loader resolved each of its
 * requires and `bindings` probed candidate paths from a stack trace: enough path.resolve() calls at
 * start that V8 optimized `normalizeString` with TurboFan, paging ≈ 3.4 MB of the compiler's code
 * in for good (docs/benchmarks.md, issue 14). `bindings` (called by better-sqlite3 as
 * `require("bindings")("better_sqlite3.node")`) is replaced by a direct require of the addon where
 * npm's install put it, falling back to the real `bindings` with the package as module root.
 */
const betterSqliteAddon = {
  name: "better-sqlite3-addon",
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, (args) =>
      /[\\/]better-sqlite3[\\/]lib[\\/]/.test(args.importer) ? { path: "better-sqlite3-addon", namespace: "bsql-addon" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "bsql-addon" }, () => ({
      contents: `const { dirname, join } = require("node:path");
module.exports = function bindings(name) {
  const root = dirname(require.resolve("better-sqlite3/package.json"));
  try {
    return require(join(root, "build", "Release", name));
  } catch (err) {
    if (err.code !== "MODULE_NOT_FOUND") throw err;
  }
  return require(require.resolve("bindings", { paths: [root] }))({ bindings: name, module_root: root });
};`,
      loader: "js",
    }));
  },
};

/**
 * Modules that dependencies require at load but a default `serve` never calls into, each replaced
 * (for that importer only) by a stand-in that requires the real module at its first use. Measured
 * in an idle `serve` (docs/benchmarks.md, issue 14, "lazy requires"): ws' client half pulls in
 * `https` and `tls` (the server only answers upgrades; TLS serving is src/server/transport/tls.ts,
 * loaded on demand), its permessage-deflate `zlib` (off: ws-gateway sets perMessageDeflate false);
 * prom-client's index its Pushgateway (https, zlib) and cluster aggregator, and its CPU metric
 * OpenTelemetry's API (read only with exemplars, which are off); pino its worker-thread transport
 * (thread-stream; the command writes to stdout synchronously and never asks for a transport);
 * sonic-boom (pino's stdout writer) `assert`, called only to check the fd of a stream being closed.
 * Each module still loads, unchanged, the first time anything touches it.
 */
const LAZY_REQUIRES = [
  { importer: /[\\/]ws[\\/]lib[\\/]websocket\.js$/, modules: ["https", "tls"] },
  { importer: /[\\/]ws[\\/]lib[\\/]permessage-deflate\.js$/, modules: ["zlib"] },
  { importer: /[\\/]prom-client[\\/]index\.js$/, modules: ["./lib/pushgateway", "./lib/cluster"] },
  { importer: /[\\/]prom-client[\\/]lib[\\/]metrics[\\/]processCpuTotal\.js$/, modules: ["@opentelemetry/api"] },
  { importer: /[\\/]pino[\\/](pino|lib[\\/]tools)\.js$/, modules: ["./lib/transport", "./transport"] },
  { importer: /[\\/]sonic-boom[\\/]index\.js$/, modules: ["assert"] },
];

const lazyRequires = {
  name: "lazy-requires",
  setup(b) {
    const names = [...new Set(LAZY_REQUIRES.flatMap((r) => r.modules))];
    const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
    b.onResolve({ filter }, async (args) => {
      if (args.kind !== "require-call" || !LAZY_REQUIRES.some((r) => r.importer.test(args.importer) && r.modules.includes(args.path))) return undefined;
      const builtin = !args.path.startsWith(".") && !args.path.startsWith("@");
      const target = builtin ? args.path : (await b.resolve(args.path, { resolveDir: args.resolveDir, kind: "require-call" })).path;
      return { path: target, namespace: "lazy-require" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-require" }, (args) => ({
      resolveDir: args.path.startsWith("/") ? dirname(args.path) : undefined,
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy(function lazyRequire() {}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
});`,
      loader: "js",
    }));
  },
};

/** The command's esbuild options (also read by test/package/cli-bundle.test.ts). */
export const CLI_BUILD = {
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist/cli",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: ["node20"],
  // better-sqlite3's JS is bundled, its native addon is not (betterSqliteAddon).
  // Whitespace and syntax only: V8 keeps the source text in memory; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __ospCreateRequire } from "node:module";\nconst require = __ospCreateRequire(import.meta.url);' },
  plugins: [zodEnglishOnly, betterSqliteAddon, lazyRequires],
  metafile: true,
  logLevel: "warning",
};

// Imported by a test: build only when run as the script.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { rmSync } = await import("node:fs");
  rmSync("dist/cli/chunks", { recursive: true, force: true }); // no stale chunks from earlier builds
  const result = await build(CLI_BUILD);
  for (const [file, info] of Object.entries(result.metafile.outputs)) console.log(`cli bundle ${file}: ${(info.bytes / 1024).toFixed(1)} KiB`);
}
