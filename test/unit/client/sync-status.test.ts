import assert from "node:assert/strict";
import { test } from "node:test";
import { describeSync } from "../../../src/client/sync-status.js";
import type { Participant } from "../../../src/protocol/index.js";

const base: Participant = { id: "a", name: "Ana", is_host: false, connected: true, ready: true, joined_at: 0, sync: null };
const withOffset = (offset_ms: number): Participant => ({ ...base, sync: { offset_ms, rtt_ms: 40, at_server_ts: 0 } });

test("describeSync words every state a viewer can be in", { timeout: 30_000 }, () => {
  assert.equal(describeSync({ ...base, connected: false }), "reconnecting…");
  assert.equal(describeSync({ ...base, ready: false }), "buffering");
  assert.equal(describeSync({ ...base, ready: false }, ["a"]), "buffering · the room waits");
  assert.equal(describeSync(base), "measuring…");
  assert.equal(describeSync(withOffset(12)), "in sync");
  assert.equal(describeSync(withOffset(-39.4)), "in sync");
  assert.equal(describeSync(withOffset(-120)), "120 ms behind");
  assert.equal(describeSync(withOffset(75)), "75 ms ahead");
});
