import assert from "node:assert/strict";
import { test } from "node:test";
import { describeSync } from "../../../src/client/sync-status.js";
import type { Participant } from "../../../src/protocol/index.js";
import { type MyState, myStatusWord } from "../../../src/web/standalone/status-words.js";

const base: MyState = { connection: "open", needsClick: false, mediaProblem: false, status: { offsetMs: 5, rate: 1, state: "synced" } };

test("my status word: the connection comes first, so nobody reads 'in sync' under 'Connection lost'", { timeout: 30_000 }, () => {
  assert.equal(myStatusWord(base), "in sync");
  assert.equal(myStatusWord({ ...base, connection: "reconnecting" }), "reconnecting…");
  assert.equal(myStatusWord({ ...base, connection: "closed" }), "reconnecting…");
  assert.equal(myStatusWord({ ...base, connection: "connecting" }), "connecting…");
});

test("my status word uses the member list's words: measuring, needs a click, ms behind", { timeout: 30_000 }, () => {
  assert.equal(myStatusWord({ ...base, status: { offsetMs: null, rate: 1, state: "idle" } }), "measuring…");
  assert.equal(myStatusWord({ ...base, needsClick: true }), "needs a click");
  assert.equal(myStatusWord({ ...base, status: { offsetMs: -77, rate: 1, state: "correcting" } }), "77 ms behind");
  assert.equal(myStatusWord({ ...base, mediaProblem: true }), "media problem");
  const p: Participant = { id: "a", name: "A", is_host: false, connected: true, ready: true, joined_at: 0, sync: { offset_ms: -77, rtt_ms: 5, at_server_ts: 0 } };
  assert.equal(describeSync(p), "77 ms behind", "same words as a row of the list");
  assert.equal(describeSync({ ...p, needs_click: true }), "needs a click", "a blocked viewer is not shown as a lag");
});
