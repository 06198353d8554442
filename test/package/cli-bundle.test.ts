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

// zod's classic API held ≈ 1.7 MB more at idle than zod/mini for the same schemas (src/protocol/zod.ts).
test("the command bundles zod's functional API (zod/mini) and English messages only, not zod's classic API", { timeout: 120_000 }, async () => {
  const { CLI_BUILD } = (await import("../../scripts/build-cli.mjs" as string)) as { CLI_BUILD: BuildOptions };
  const { metafile } = await build({ ...CLI_BUILD, write: false, metafile: true, logLevel: "silent" });
  const zod = Object.keys(metafile.inputs).filter((f) => /node_modules\/zod\//.test(f));
  assert.ok(zod.some((f) => /zod\/v4\/mini\//.test(f)), `zod/mini is bundled: ${zod.join(", ")}`);
  assert.deepEqual(zod.filter((f) => /zod\/v4\/classic\//.test(f)), [], "no module of zod's classic API");
  assert.deepEqual(zod.filter((f) => /zod\/v4\/locales\//.test(f)), ["node_modules/zod/v4/locales/en.js"], "one locale, English");
});

/**
 * The lazy stand-ins (scripts/build-cli.mjs, LAZY_REQUIRES): a default serve, run from the built
 * bundle, has loaded none of the built-ins only ws' client half, prom-client's Pushgateway, pino's
 * transports, sonic-boom's close-time fd check or the mpv command's password prompt use — and every
 * stand-in still hands out the real module the moment it is used (a wss:// connection attempt
 * through ws, a Pushgateway and an AggregatorRegistry, pino's worker-thread transport module, a
 * failing fd assertion when a stream closes), so no feature is lost.
 */
const NOT_AT_IDLE = ["tls", "https", "zlib", "readline", "assert"];

test("a default serve from dist/cli loads no tls, https, zlib, readline or assert at start", { timeout: 60_000 }, async (t) => {
  const { spawn } = await import("node:child_process");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join, resolve } = await import("node:path");
  const { createInterface } = await import("node:readline");
  const dir = mkdtempSync(join(tmpdir(), "osp-idle-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Prints the built-ins this process has loaded when asked (SIGUSR2), as one JSON line on stderr.
  const preload = "process.on('SIGUSR2', () => process.stderr.write(JSON.stringify(process.moduleLoadList) + '\\n'));";
  const child = spawn(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, resolve("dist/cli/main.js"), "serve", "--port", "0", "--host", "127.0.0.1"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.after(() => child.kill("SIGKILL"));
  for await (const line of createInterface({ input: child.stdout })) if (line.includes('"OpenSyncParty listening"')) break;
  child.kill("SIGUSR2");
  let loaded: string[] = [];
  for await (const line of createInterface({ input: child.stderr })) {
    if (line.startsWith("[")) {
      loaded = JSON.parse(line) as string[];
      break;
    }
  }
  assert.ok(loaded.includes("NativeModule http"), `the list is the process' built-ins: ${loaded.slice(0, 5).join(", ")}`);
  for (const name of NOT_AT_IDLE) assert.ok(!loaded.includes(`NativeModule ${name}`), `${name} is loaded by every serve at start`);
});

test("each lazy stand-in in the command's bundle hands out the real module when used", { timeout: 120_000 }, async (t) => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { CLI_BUILD } = (await import("../../scripts/build-cli.mjs" as string)) as { CLI_BUILD: BuildOptions };
  const dir = mkdtempSync(join(tmpdir(), "osp-lazy-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The same plugins and options as the command, over a program that uses what the stand-ins hold.
  const program = `
import WebSocket from "ws";
import { pino } from "pino";
import { AggregatorRegistry, Pushgateway, Registry } from "prom-client";
const out = {};
out.pushgateway = typeof new Pushgateway("http://127.0.0.1:9", {}, new Registry()).pushAdd;
out.aggregator = typeof new AggregatorRegistry().clusterMetrics;
// Reading a property of the stand-in requires pino's transport module (thread-stream) for real.
out.transport = pino.transport.name;
// sonic-boom checks a closing stream's fd with node:assert: a bad fd must still fail that real assertion.
const dest = pino.destination({ dest: process.platform === "win32" ? "NUL" : "/dev/null", sync: true });
dest.fd = "not-a-number";
try {
  dest.destroy();
  out.sonicAssert = "no error";
} catch (err) {
  out.sonicAssert = err.code ?? err.name;
}
const ws = new WebSocket("wss://127.0.0.1:9/ws");
out.wss = await new Promise((res) => ws.on("error", (err) => res(err.code ?? err.message)));
console.log(JSON.stringify(out));
`;
  const result = await build({
    ...CLI_BUILD,
    entryPoints: undefined,
    stdin: { contents: program, resolveDir: process.cwd(), sourcefile: "lazy-check.ts", loader: "ts" },
    outdir: undefined,
    outfile: join(dir, "lazy-check.mjs"),
    splitting: false,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles?.[0]?.text ?? "";
  assert.match(code, /lazy-require:/, "the program was built with the stand-ins");
  writeFileSync(join(dir, "lazy-check.mjs"), code);
  const printed = execFileSync(process.execPath, [join(dir, "lazy-check.mjs")], { cwd: process.cwd(), encoding: "utf8", timeout: 60_000 });
  const out = JSON.parse(printed.trim().split("\n").pop() ?? "{}") as Record<string, string>;
  assert.deepEqual(out, { pushgateway: "function", aggregator: "function", transport: "transport", sonicAssert: "ERR_ASSERTION", wss: "ECONNREFUSED" });
});

test("a default serve's start-up runs nothing hot enough for V8 to optimize (its compiler's code would stay in idle RSS)", { timeout: 60_000 }, async (t) => {
  const { spawn } = await import("node:child_process");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join, resolve } = await import("node:path");
  const { createInterface } = await import("node:readline");
  const dir = mkdtempSync(join(tmpdir(), "osp-opt-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A crowded environment (CI runners, containers): start-up work per variable (the env-var check) must stay cold too.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (let i = 0; i < 300; i++) env[`SOME_TOOL_SETTING_${i}`] = String(i);
  const child = spawn(process.execPath, ["--trace-opt", resolve("dist/cli/main.js"), "serve", "--port", "0", "--host", "127.0.0.1"], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => child.kill("SIGKILL"));
  const optimized: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.includes('"OpenSyncParty listening"')) break;
    const m = /(?:marking|completed optimizing) \S+ <JSFunction ([^ >]*)/.exec(line);
    if (m) optimized.push(m[1] || "(anonymous)");
  }
  assert.deepEqual([...new Set(optimized)], [], "functions V8 optimized before the server listened");
});
