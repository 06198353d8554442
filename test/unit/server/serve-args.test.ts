import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError, parseServeArgs } from "../../../src/cli/serve.js";
import { ConfigError, resolveConfig } from "../../../src/server/config.js";

test("flags win over environment variables", { timeout: 30_000 }, () => {
  const o = parseServeArgs(["--port", "4000"], { PORT: "5000", HOST: "127.0.0.1" });
  assert.equal(o.port, 4000);
  assert.equal(o.host, "127.0.0.1");
});

test("numbers are checked and lists split", { timeout: 30_000 }, () => {
  assert.throws(() => parseServeArgs(["--port", "abc"], {}), UsageError);
  assert.throws(() => parseServeArgs(["--port", "1.5"], {}), UsageError);
  assert.throws(() => parseServeArgs(["--no-such-flag", "1"], {}), UsageError);
  const o = parseServeArgs([], { OSP_ALLOWED_ORIGINS: "https://a.example, https://b.example" });
  assert.deepEqual(o.allowedOrigins, ["https://a.example", "https://b.example"]);
});

test("contradictory or out-of-range options are refused, and the config is frozen", { timeout: 30_000 }, () => {
  assert.throws(() => resolveConfig({ minLeadMs: 2000, maxLeadMs: 1000 }), ConfigError);
  assert.throws(() => resolveConfig({ port: 70000 }), ConfigError);
  assert.throws(() => resolveConfig({ jellyfinUrl: "ftp://x" }), ConfigError);
  const c = resolveConfig({ port: 0 });
  assert.ok(Object.isFrozen(c));
  assert.equal(c.port, 0);
});

test("--public-url (or OSP_PUBLIC_URL) sets the invite base; it must be an http(s) URL", { timeout: 30_000 }, () => {
  assert.equal(parseServeArgs(["--public-url", "https://party.example.com/party/"], {}).publicUrl, "https://party.example.com/party/");
  assert.equal(parseServeArgs([], { OSP_PUBLIC_URL: "http://192.168.1.20:3001/" }).publicUrl, "http://192.168.1.20:3001/");
  assert.throws(() => resolveConfig({ publicUrl: "party.example.com" }), ConfigError);
  assert.equal(resolveConfig({}).publicUrl, null);
});
