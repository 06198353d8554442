/** New-user findings 7 and 9: every numeric option is plain decimal, errors name the source used, `*` origins, env near-misses. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkEnv } from "../../../src/cli/env-check.js";
import { serveHelp } from "../../../src/cli/help.js";
import { SERVE_OPTIONS, UsageError, parseServeArgs } from "../../../src/cli/serve.js";
import { ConfigError, DEFAULTS, resolveConfig } from "../../../src/server/config.js";

const NOT_DECIMAL = ["0x10", "1e3", " 80", "80 ", "+80", "-1", "1_000", "0b1", "0o7", "Infinity", "", "８０"];

test("every whole-number option, flag and env var, takes only decimal digits", { timeout: 30_000 }, () => {
  const ints = Object.values(SERVE_OPTIONS).filter((o) => o.kind === "int");
  assert.ok(ints.length > 10);
  for (const o of ints) {
    for (const bad of NOT_DECIMAL.filter((b) => b !== "")) {
      assert.throws(
        () => parseServeArgs([`--${o.flag}=${bad}`], {}),
        (e: Error) => e instanceof UsageError && e.message.startsWith(`--${o.flag} expects a whole number`),
        `--${o.flag} ${JSON.stringify(bad)}`,
      );
      assert.throws(
        () => parseServeArgs([], { [o.env]: bad }),
        (e: Error) => e instanceof UsageError && e.message.startsWith(`Environment variable ${o.env} expects a whole number`),
        `${o.env}=${JSON.stringify(bad)}`,
      );
    }
    assert.equal((parseServeArgs([`--${o.flag}`, "080"], {}) as Record<string, unknown>)[Object.keys(SERVE_OPTIONS).find((k) => SERVE_OPTIONS[k as keyof typeof SERVE_OPTIONS] === o)!], 80, "leading zeros are decimal");
  }
});

test("fractional options take decimal notation only", { timeout: 30_000 }, () => {
  assert.equal(parseServeArgs(["--max-messages-per-second", "2.5"], {}).maxMessagesPerSecond, 2.5);
  for (const bad of ["1e3", "0x10", ".5", "5.", "+2", " 2"]) {
    assert.throws(() => parseServeArgs([], { OSP_MAX_MESSAGES_PER_SECOND: bad }), /^UsageError|OSP_MAX_MESSAGES_PER_SECOND expects a number/);
  }
});

test("an error names the source actually used: the env var when no flag was given", { timeout: 30_000 }, () => {
  assert.throws(() => parseServeArgs([], { PORT: "abc" }), /^Error: Environment variable PORT expects/);
  assert.throws(() => parseServeArgs(["--port", "abc"], { PORT: "1" }), /--port expects/);
  assert.throws(() => parseServeArgs([], { OSP_REQUIRE_ORIGIN: "maybe" }), /Environment variable OSP_REQUIRE_ORIGIN expects true or false/);
  assert.throws(() => parseServeArgs([], { OSP_LOG_FORMAT: "xml" }), /Environment variable OSP_LOG_FORMAT expects one of json, pretty/);
});

test("an unknown log level is a usage error naming the option and the levels", { timeout: 30_000 }, () => {
  assert.throws(() => parseServeArgs([], { LOG_LEVEL: "loud" }), /LOG_LEVEL expects one of fatal, error, warn, info, debug, trace, silent, got "loud"/);
  assert.throws(() => parseServeArgs(["--log-level", "verbose"], {}), /--log-level expects one of/);
  assert.equal(parseServeArgs(["--log-level", "debug"], {}).logLevel, "debug");
});

test("allowedOrigins: * means any origin; entries are origins, normalised; a path is refused", { timeout: 30_000 }, () => {
  assert.deepEqual(resolveConfig({ allowedOrigins: ["*"] }).allowedOrigins, []);
  assert.deepEqual(resolveConfig({ allowedOrigins: ["https://a.example", "*"] }).allowedOrigins, []);
  assert.deepEqual(resolveConfig({ allowedOrigins: ["HTTPS://A.Example/", "http://b.example:80"] }).allowedOrigins, [
    "https://a.example",
    "http://b.example",
  ]);
  for (const bad of ["https://a.example/party", "a.example", "https://a.example?x=1", "*.example.com"]) {
    assert.throws(() => resolveConfig({ allowedOrigins: [bad] }), (e: Error) => e instanceof ConfigError && e.message.includes(`"${bad}"`), bad);
  }
});

test("env vars that look like ours but are not read are reported with the right name", { timeout: 30_000 }, () => {
  const w = (env: Record<string, string>) => checkEnv(env).map((x) => [x.name, x.suggestion]);
  assert.deepEqual(w({ OSP_PORT: "1" }), [["OSP_PORT", "PORT"]]);
  assert.deepEqual(w({ LOGLEVEL: "debug" }), [["LOGLEVEL", "LOG_LEVEL"]]);
  assert.deepEqual(w({ DATA_FILE: "x" }), [["DATA_FILE", "OSP_DATA_FILE"]]);
  assert.deepEqual(w({ OSP_MAX_ROOM: "1" }), [["OSP_MAX_ROOM", "OSP_MAX_ROOMS"]]);
  assert.deepEqual(w({ OSP_SOMETHING_ELSE: "1" }), [["OSP_SOMETHING_ELSE", null]]);
  // Every variable the server reads, and ordinary ones, pass silently.
  const known = Object.fromEntries(Object.values(SERVE_OPTIONS).map((o) => [o.env, "1"]));
  assert.deepEqual(w({ ...known, OSP_LOG_FORMAT: "json", OSP_DEBUG: "1", HOME: "/", HOSTNAME: "x", PATH: "/", PWD: "/", SHELL: "sh", TERM: "x", LANG: "C" }), []);
});

test("serve --help lists every flag, its env var and its default from DEFAULTS", { timeout: 30_000 }, () => {
  const help = serveHelp();
  for (const [key, o] of Object.entries(SERVE_OPTIONS)) {
    const line = help.split("\n").find((l) => l.trimStart().startsWith(`--${o.flag} `));
    assert.ok(line, `--${o.flag} is missing from --help`);
    assert.ok(line.includes(o.env), `--${o.flag}: env ${o.env} missing`);
    const def = (DEFAULTS as Record<string, unknown>)[key];
    if (typeof def === "number" || (typeof def === "string" && key !== "dataFile")) assert.ok(line.includes(String(def)), `--${o.flag}: default ${def} missing`);
  }
  assert.match(help, /--log-format/);
});
