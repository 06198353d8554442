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

// Fuzzer's finding 2: the media's title, id and URL and a room password took controls, bidi overrides and unpaired
// surrogates as sent; the title shows in every lobby's room_list, in room_info and in the activity feed and mpv OSD.
test("a media title is text that shows: cleaned like a name; media ids, URLs and passwords with controls or unpaired surrogates are refused", { timeout: 5_000 }, () => {
  const settings = (p: Record<string, unknown>) => validatePayload(schemas, "room_settings", p);
  const create = (p: Record<string, unknown>) => validatePayload(schemas, "create_room", { name: "Room", ...p });
  for (const [input, want] of [
    ["\u202Egnp.exe", "gnp.exe"],
    ["Film\u0000\u0007 ", "Film"],
    ["A\u200Bmélie", "Amélie"],
    ["", ""],
    ["\u200B", ""],
  ] as const) {
    for (const check of [settings, create]) {
      const r = check({ media_title: input });
      assert.ok(r.ok, `${JSON.stringify(input)} refused: ${r.ok ? "" : r.details.join("; ")}`);
      assert.equal((r.value as { media_title: string }).media_title, want, JSON.stringify(input));
    }
  }
  const refused: Array<Record<string, unknown>> = [
    { media_title: "Film\uD800" },
    { media_id: "abc\uD800" },
    { media_id: "abc\u0000" },
    { media_id: "abc\n" },
    { media_url: "http://example.com/a\uDC00.mp4" },
    { media_url: "http://example.com/a\n.mp4" },
    { media_url: "http://example.com/a\u0000.mp4" },
  ];
  for (const p of refused) {
    assert.equal(settings(p).ok, false, `room_settings ${JSON.stringify(p)} accepted`);
    assert.equal(create(p).ok, false, `create_room ${JSON.stringify(p)} accepted`);
  }
  for (const password of ["pw\uD800", "\uDFFF"]) {
    assert.equal(create({ password }).ok, false, `create_room password ${JSON.stringify(password)} accepted`);
    assert.equal(validatePayload(schemas, "join_room", { password }).ok, false, `join_room password ${JSON.stringify(password)} accepted`);
  }
  assert.ok(create({ media_id: "f1b2c3", media_url: "https://example.com/film%20one.mp4?x=1", password: "pässwörd 🔑" }).ok);
});
