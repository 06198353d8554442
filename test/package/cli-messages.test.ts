/**
 * New-user findings 9 and the start-up nitpicks, through the built command
 * (dist/cli/main.js, what the npm package runs): --version, a generated
 * --help, exit 2 naming the option/variable/file, a warning for unknown
 * variables, EADDRINUSE with the fix, pretty mode starting with its summary.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { test } from "node:test";
import WebSocket from "ws";
import { SERVE_OPTIONS } from "../../src/cli/serve.js";

const MAIN = "dist/cli/main.js";
const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const [code] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  return { code, out, err };
}

/** Starts serve, collects stdout lines until `until` matches one, then stops it with SIGTERM. */
async function linesUntil(args: string[], env: Record<string, string>, until: RegExp): Promise<string[]> {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--host", "127.0.0.1", "--data-file", "none", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      if (until.test(line)) break;
    }
  } finally {
    child.kill("SIGTERM");
  }
  return lines;
}

test("--version prints the package version", { timeout: 60_000 }, async () => {
  for (const args of [["--version"], ["serve", "--version"]]) {
    const r = await run(args);
    assert.equal(r.code, 0);
    assert.equal(r.out.trim(), VERSION);
  }
});

test("serve --help and --help list every option with its env var (the tarball has no docs/)", { timeout: 60_000 }, async () => {
  for (const args of [["serve", "--help"], ["--help"]]) {
    const r = await run(args);
    assert.equal(r.code, 0);
    for (const o of Object.values(SERVE_OPTIONS)) {
      assert.match(r.out, new RegExp(`--${o.flag} .*${o.env}`), `${args.join(" ")}: --${o.flag}`);
    }
    assert.doesNotMatch(r.out, /See docs\/configuration\.md for every option/);
  }
});

test("bad values stop start-up with exit 2, naming the variable, option or file", { timeout: 60_000 }, async () => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [["serve"], { PORT: "0x10" }, /Environment variable PORT expects a whole number/],
    [["serve", "--port", "1e3"], {}, /--port expects a whole number/],
    [["serve"], { PORT: "70000" }, /port \(environment variable PORT\): Too big/],
    [["serve"], { LOG_LEVEL: "loud" }, /LOG_LEVEL expects one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    [["serve", "--tls-cert", "/etc/hostname", "--tls-key", "/etc/hostname"], {}, /TLS certificate file \/etc\/hostname is not a PEM certificate/],
    [["serve", "--allowed-origins", "https://a.example/page"], {}, /allowedOrigins \(--allowed-origins\): "https:\/\/a\.example\/page" is not an origin/],
  ];
  for (const [args, env, expected] of cases) {
    const r = await run([...args, "--data-file", "none"], env);
    assert.equal(r.code, 2, `${args.join(" ")} ${JSON.stringify(env)}: ${r.err}`);
    assert.match(r.err, expected);
  }
});

test("a port in use: exit 2, naming the port and --port/PORT", { timeout: 60_000 }, async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const r = await run(["serve", "--port", String(port), "--host", "127.0.0.1", "--data-file", "none"]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, new RegExp(`Port ${port} is already in use`));
  assert.match(r.err, /--port/);
  assert.match(r.err, /PORT/);
});

test("an unknown OSP_ variable is warned about at start, naming the right one", { timeout: 60_000 }, async () => {
  const lines = await linesUntil([], { OSP_PORT: "abc" }, /OpenSyncParty listening/);
  const warn = lines.map((l) => JSON.parse(l) as { level: number; msg: string; env?: string }).find((e) => e.env === "OSP_PORT");
  assert.ok(warn, `a warning names OSP_PORT: ${lines.join("\n")}`);
  assert.equal(warn.level, 40);
  assert.match(warn.msg, /did you mean PORT\?/);
});

test("pretty mode starts with its summary; the start-up INFO lines follow it", { timeout: 60_000 }, async () => {
  const lines = await linesUntil(["--log-format", "pretty"], {}, /INFO {2}OpenSyncParty listening/);
  assert.match(lines[0] ?? "", new RegExp(`^OpenSyncParty ${VERSION.replace(/\./g, "\\.")} is running\\.`), lines.join("\n"));
});

test("--allowed-origins '*' lets any browser origin in", { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--host", "127.0.0.1", "--data-file", "none", "--allowed-origins", "*"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let url = "";
    for await (const line of createInterface({ input: child.stdout })) {
      const e = JSON.parse(line) as { msg?: string; url?: string };
      if (e.msg === "OpenSyncParty listening") {
        url = e.url!;
        break;
      }
    }
    const ws = new WebSocket(url, { origin: "http://evil.example" });
    const outcome = await new Promise<string>((resolve) => {
      ws.once("open", () => resolve("open"));
      ws.once("unexpected-response", (_req, res) => resolve(`refused ${res.statusCode}`));
      ws.once("error", (e) => resolve(`error ${e.message}`));
    });
    ws.terminate();
    assert.equal(outcome, "open");
  } finally {
    child.kill("SIGTERM");
  }
});
