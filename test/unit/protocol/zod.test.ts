/**
 * src/protocol/zod.ts: object schemas on zod/mini that parse with zod's
 * compiled (JIT) object parser, the one zod's classic objects use, and
 * zod's English messages (the `details` of invalid_payload and of a
 * ConfigError are built from them).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as z from "zod/mini";
import { $ZodObjectJIT } from "zod/v4/core";
import { createPayloadSchemas, validateEnvelope, validatePayload } from "../../../src/protocol/schemas.js";
import { object } from "../../../src/protocol/zod.js";
import { resolveConfig } from "../../../src/server/config.js";

const schemas = createPayloadSchemas(resolveConfig({}));

test("object() parses with the compiled parser, strips unknown keys, and z.extend / .check keep it", { timeout: 10_000 }, () => {
  const o = object({ a: z.number() });
  assert.ok(o instanceof $ZodObjectJIT, "object() is a $ZodObjectJIT");
  assert.ok(!(z.object({ a: z.number() }) instanceof $ZodObjectJIT), "zod/mini's own object() is not: the check can fail");
  assert.deepEqual(o.parse({ a: 1, b: 2 }), { a: 1 });
  assert.deepEqual(o.shape, { a: o._zod.def.shape.a });
  assert.ok(z.extend(o, { c: z.optional(z.string()) }) instanceof $ZodObjectJIT);
  assert.ok(o.check(z.refine(() => true)) instanceof $ZodObjectJIT);
  for (const t of ["state_update", "player_event", "create_room", "room_settings", "sync_report"] as const) {
    assert.ok(schemas[t] instanceof $ZodObjectJIT, `${t} parses with the compiled parser`);
  }
});

test("invalid payloads are described with zod's English messages", { timeout: 10_000 }, () => {
  assert.deepEqual(validatePayload(schemas, "state_update", { position: -1, play_state: "stopped", rate: 100 }), {
    ok: false,
    details: [
      "position: Too small: expected number to be >=0",
      'play_state: Invalid option: expected one of "playing"|"paused"',
      "rate: Too big: expected number to be <=16",
    ],
  });
  assert.deepEqual(validatePayload(schemas, "create_room", { name: " ", media_url: "ftp://x", settings: { wait_timeout_ms: 1.5 } }), {
    ok: false,
    details: [
      "name: Too small: expected string to have >=1 characters",
      "media_url: must be an http(s) URL",
      "settings.wait_timeout_ms: Invalid input: expected int, received number",
    ],
  });
  assert.deepEqual(validatePayload(schemas, "hello", { protocol: "2" }), {
    ok: false,
    details: ["protocol: Invalid input: expected number, received string"],
  });
  assert.deepEqual(validateEnvelope({ type: "", id: {} }), {
    ok: false,
    details: ["type: Too small: expected string to have >=1 characters", "id: Invalid input"],
  });
  assert.throws(() => resolveConfig({ port: 1.5, wsPath: "x", bogus: 1, jellyfinUrl: "ftp://x", metricsToken: "short" } as never), (e: Error) => {
    assert.equal(
      e.message,
      [
        "Invalid configuration:",
        "port: Invalid input: expected int, received number",
        'wsPath: Invalid string: must start with "/"',
        "jellyfinUrl: Invalid URL",
        "metricsToken: metricsToken must be at least 16 characters",
        'options: Unrecognized key: "bogus"',
      ].join("\n  "),
    );
    return true;
  });
});
