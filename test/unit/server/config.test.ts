import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, DEFAULTS, resolveConfig } from "../../../src/server/config.js";

test("defaults let the original client in: port 3001, /ws, any origin, no auth", { timeout: 30_000 }, () => {
  const c = resolveConfig();
  assert.equal(c.port, 3001);
  assert.equal(c.wsPath, "/ws");
  assert.deepEqual(c.allowedOrigins, []);
  assert.equal(c.jellyfinUrl, null);
});

test("the resolved config is frozen, nested lists included", { timeout: 30_000 }, () => {
  const c = resolveConfig({ allowedOrigins: ["https://a.example"] });
  assert.ok(Object.isFrozen(c));
  assert.throws(() => {
    (c as { port: number }).port = 1;
  }, TypeError);
  assert.throws(() => (c.allowedOrigins as string[]).push("x"), TypeError);
  assert.equal(DEFAULTS.port, 3001, "defaults are not mutated");
});

const contradictions: Array<[string, Parameters<typeof resolveConfig>[0]]> = [
  ["hardMaxMessageBytes below maxMessageBytes", { maxMessageBytes: 2048, hardMaxMessageBytes: 1024 }],
  ["minLeadMs above maxLeadMs", { minLeadMs: 2000, maxLeadMs: 1000 }],
  ["softMaxBufferedBytes above maxBufferedBytes", { softMaxBufferedBytes: 10, maxBufferedBytes: 5 }],
];
for (const [what, options] of contradictions) {
  test(`contradictory options are rejected: ${what}`, { timeout: 30_000 }, () => {
    assert.throws(() => resolveConfig(options), ConfigError);
  });
}

test("bad values and unknown options are rejected, listing every problem", { timeout: 30_000 }, () => {
  assert.throws(() => resolveConfig({ port: 70000 }), /port/);
  assert.throws(() => resolveConfig({ maxRooms: 0 }), /maxRooms/);
  assert.throws(() => resolveConfig({ wsPath: "ws" }), /wsPath/);
  assert.throws(() => resolveConfig({ jellyfinUrl: "ftp://x" }), /jellyfinUrl/);
  assert.throws(() => resolveConfig({ bogus: 1 } as never), ConfigError);
  assert.throws(
    () => resolveConfig({ port: -1, maxRooms: -1 }),
    (e: Error) => /port/.test(e.message) && /maxRooms/.test(e.message),
  );
});

test("undefined options fall back to defaults", { timeout: 30_000 }, () => {
  assert.equal(resolveConfig({ port: undefined }).port, 3001);
});
