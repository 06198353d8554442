/**
 * A forwarded frame that Redis held (frozen, stalled) reaches the room's
 * owner late: it is refused `cluster_unavailable`, not applied
 * (src/server/cluster/bus-inbound.ts STALE_FORWARD_MS). A fresh one is handled.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { BusInbound, type BusInboundDeps, STALE_FORWARD_MS } from "../../../src/server/cluster/bus-inbound.js";
import { rk } from "../../../src/server/cluster/session-placement.js";

test("a forwarded frame published more than STALE_FORWARD_MS ago is refused; a fresh one is handled", { timeout: 5_000 }, () => {
  let now = 1_000_000;
  const handled: string[] = [];
  const refused: Array<{ text: string; code: string; extra: unknown }> = [];
  const conn = {
    receiveForwarded: (text: string) => handled.push(text),
    refuseForwarded: (text: string, code: string, extra: unknown) => refused.push({ text, code, extra }),
  };
  const placement = { hub: { now: () => now }, remote: new Map([[rk("gw", "k1"), conn]]), moved: new Map() };
  const inbound = new BusInbound({ id: "home", placement, retryAfterMs: 5000 } as unknown as BusInboundDeps);
  const seek = '{"type":"player_event","id":"r7","payload":{"action":"seek","position":600}}';

  inbound.receive({ t: "in", c: "k1", g: "gw", d: seek, at: now - 9000, s: now - 20 });
  assert.deepEqual(handled, [seek], "a frame published 20 ms ago is handled (it waited at its gateway for a new home before)");

  now += 60_000; // Redis was frozen for a minute with the next frame in its socket
  inbound.receive({ t: "in", c: "k1", g: "gw", d: seek, at: now - 60_000, s: now - 60_000 });
  inbound.receive({ t: "in", c: "k1", g: "gw", d: seek, at: now - STALE_FORWARD_MS - 1, s: now - STALE_FORWARD_MS - 1 });
  assert.equal(handled.length, 1, "no stale frame was handled");
  assert.deepEqual(refused.map((r) => [r.code, r.extra]), [
    ["cluster_unavailable", { retry_after_ms: 5000 }],
    ["cluster_unavailable", { retry_after_ms: 5000 }],
  ]);
});
