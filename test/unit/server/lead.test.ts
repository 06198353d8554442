import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS } from "../../../src/server/config.js";
import { scheduleLeadMs } from "../../../src/server/core/lead.js";

test("the lead covers the worst round trip, the slowest player's seek, and a margin, within bounds", { timeout: 30_000 }, () => {
  assert.equal(scheduleLeadMs(null, 0, DEFAULTS), 300, "nobody measured yet: the default");
  assert.equal(scheduleLeadMs(100, 0, DEFAULTS), 180, "1.2 × 100 + 60");
  assert.equal(scheduleLeadMs(100, 250, DEFAULTS), 430, "plus the slowest player's seek latency");
  assert.equal(scheduleLeadMs(100, 5000, DEFAULTS), 980, "seek latency counts up to 800 ms");
  assert.equal(scheduleLeadMs(5, 0, DEFAULTS), 100, "never below minLeadMs");
  assert.equal(scheduleLeadMs(3000, 800, DEFAULTS), 1500, "never above maxLeadMs");
});
