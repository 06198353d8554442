/**
 * Names and chat lines are text that shows: unpaired surrogates are refused,
 * a name loses invisible and reordering characters (U+202E shows a name
 * reversed; zero-width spaces make two names look alike), and a name or line
 * with nothing visible left is refused like an empty one. Scripts and emoji
 * that need zero-width joiners keep them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPayloadSchemas, validatePayload } from "../../../src/protocol/schemas.js";
import { resolveConfig } from "../../../src/server/config.js";

const schemas = createPayloadSchemas(resolveConfig({}));
const name = (display_name: string) => validatePayload(schemas, "hello", { display_name });
const chat = (text: string) => validatePayload(schemas, "chat_message", { text });

test("a name keeps what shows and loses what hides or reorders", { timeout: 5_000 }, () => {
  const kept: Array<[string, string]> = [
    ["Ana", "Ana"],
    ["  Ana  ", "Ana"],
    ["\u202Egnp.exe", "gnp.exe"],
    ["A\u200Bna", "Ana"],
    ["\u2066Bob\u2069", "Bob"],
    ["Bob\u0007\u0000", "Bob"],
    ["\uFEFFCara", "Cara"],
    ["👨\u200D👩\u200D👧", "👨\u200D👩\u200D👧"],
    ["می\u200Cخواهم", "می\u200Cخواهم"],
    ["José", "José"],
    ["日本", "日本"],
  ];
  for (const [input, want] of kept) {
    const r = name(input);
    assert.ok(r.ok, `${JSON.stringify(input)} refused: ${r.ok ? "" : r.details.join("; ")}`);
    assert.equal((r.value as { display_name: string }).display_name, want, JSON.stringify(input));
  }
});

test("a name or chat line with nothing visible, or with an unpaired surrogate, is refused", { timeout: 5_000 }, () => {
  for (const input of ["", "   ", "\u200B", "\u200B\u200B", "\u202E", "\u200D", "\u0301", " \u200C ", "Ana\uD800", "\uDC00Bob"]) {
    assert.equal(name(input).ok, false, `name ${JSON.stringify(input)} accepted`);
  }
  for (const input of ["", "\u200B", "\u200D\u200D", "\n\t", "hi \uD83D", "\uDE00 there"]) {
    assert.equal(chat(input).ok, false, `chat ${JSON.stringify(input)} accepted`);
  }
  const r = chat("Ana\uD800");
  assert.ok(!r.ok && r.details.some((d) => /surrogate/.test(d)), "the refusal says why");
});

test("a chat line keeps its own characters: line breaks, right-to-left marks, emoji", { timeout: 5_000 }, () => {
  for (const input of ["line one\nline two", "\u200Fשלום", "👍🏽", "a\u202Eb"]) {
    const r = chat(input);
    assert.ok(r.ok, `chat ${JSON.stringify(input)} refused`);
    assert.equal((r.value as { text: string }).text, input.trim());
  }
});
