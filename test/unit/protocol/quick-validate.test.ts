import assert from "node:assert/strict";
import { test } from "node:test";
import { createQuickPayloads, quickEnvelope } from "../../../src/protocol/quick-validate.js";
import { createPayloadSchemas, validateEnvelope } from "../../../src/protocol/schemas.js";
import { resolveConfig } from "../../../src/server/config.js";

/**
 * The quick checks may only say "yes, and here is zod's answer" or "ask
 * zod": for every input they accept, zod must accept it too and return an
 * equal value. Inputs are JSON texts, parsed as the server parses frames
 * (so 1e400 is Infinity, "__proto__" an own key).
 */
const config = resolveConfig({});
const schemas = createPayloadSchemas(config);
const quick = createQuickPayloads(config);
const max = config.maxPositionSeconds;

const long = (n: number) => "x".repeat(n);
const values: string[] = [
  "0",
  "-0",
  "-1",
  "12.5",
  String(max),
  String(max + 1),
  "1e400",
  "-1e400",
  "0.0625",
  "0.06",
  "16",
  "16.5",
  "null",
  "true",
  '""',
  '"a"',
  '"playing"',
  '"paused"',
  '"stopped"',
  '"play"',
  '"pause"',
  '"seek"',
  '"PLAY"',
  "[]",
  "{}",
  JSON.stringify(long(64)),
  JSON.stringify(long(65)),
  JSON.stringify("é".repeat(64)),
];

function parse(text: string): unknown {
  return JSON.parse(text);
}

function agree(label: string, text: string, q: unknown, z: { success: boolean; data?: unknown }): boolean {
  if (q === null) return false;
  assert.ok(z.success, `${label}: quick accepted what zod refuses: ${text}`);
  assert.deepStrictEqual(q, z.data, `${label}: quick and zod differ for ${text}`);
  return true;
}

test("quick payload checks accept only what zod accepts, and return zod's value", { timeout: 60_000 }, () => {
  let acceptedState = 0;
  let acceptedEvent = 0;
  const extras = ["", ',"extra":1', ',"__proto__":{"x":1}'];
  for (const position of [...values, undefined]) {
    for (const second of values) {
      for (const rate of [undefined, ...values]) {
        for (const extra of extras) {
          const field = (k: string, v: string | undefined) => (v === undefined ? [] : [`"${k}":${v}`]);
          const state = `{${[...field("position", position), ...field("play_state", second), ...field("rate", rate)].join(",")}${extra}}`;
          const event = `{${[...field("action", second), ...field("position", position), ...field("rate", rate)].join(",")}${extra}}`;
          for (const [text, type] of [
            [state, "state_update"],
            [event, "player_event"],
          ] as const) {
            const fixed = text.replace("{,", "{");
            const raw = parse(fixed);
            const ok = agree(type, fixed, quick[type](raw), schemas[type].safeParse(raw));
            if (ok && type === "state_update") acceptedState++;
            if (ok && type === "player_event") acceptedEvent++;
          }
        }
      }
    }
  }
  for (const text of ["null", "[]", '"x"', "1", "[1,2]"]) {
    assert.equal(quick.state_update(parse(text)), null);
    assert.equal(quick.player_event(parse(text)), null);
  }
  // The common frames take the quick path (else it buys nothing).
  assert.ok(acceptedState > 100, `state_update quick path taken ${acceptedState} times`);
  assert.ok(acceptedEvent > 100, `player_event quick path taken ${acceptedEvent} times`);
  assert.deepEqual(quick.state_update({ position: 3, play_state: "playing" }), { position: 3, play_state: "playing" });
});

test("quick envelope check accepts only what zod accepts, and returns zod's value", { timeout: 60_000 }, () => {
  let accepted = 0;
  const fields = ["type", "room", "client", "payload", "ts", "id"];
  const samples = [...values, '{"position":1}', "[1]"];
  for (const key of fields) {
    for (const v of samples) {
      for (const base of ['{"type":"state_update"', '{"type":"ping","room":"ABC","payload":{}', "{", '{"room":null']) {
        const text = `${base}${base.endsWith("{") ? "" : ","}"${key}":${v}}`;
        let raw: unknown;
        try {
          raw = parse(text);
        } catch {
          continue;
        }
        const z = validateEnvelope(raw);
        if (agree("envelope", text, quickEnvelope(raw), { success: z.ok, data: z.ok ? z.value : undefined })) accepted++;
      }
    }
  }
  for (const text of ["null", "[]", '"x"', "{}", '{"type":"ping","extra":1}', '{"__proto__":{"type":"x"},"type":"ping"}', '{"type":""}']) {
    assert.equal(quickEnvelope(parse(text)), null, text);
  }
  assert.ok(accepted > 50, `quick envelope taken ${accepted} times`);
  const env = quickEnvelope(parse('{"type":"state_update","room":"R1","payload":{"position":1},"ts":5,"id":7}'));
  assert.deepEqual(env, { type: "state_update", room: "R1", payload: { position: 1 }, ts: 5, id: 7 });
});
