import assert from "node:assert/strict";
import { test } from "node:test";
import { type PlacementDeps, SessionPlacement, rk } from "../../../src/server/cluster/session-placement.js";

// Forwarding addresses touch only the placement's own maps: no hub, bus or Redis needed.
const placement = () => new SessionPlacement({} as PlacementDeps);

test("a forwarding address lives through one sweep and is gone after the second", { timeout: 5_000 }, () => {
  const p = placement();
  p.rememberMove("gw", "k1", "home-a");
  p.sweepMoved();
  assert.equal(p.moved.get(rk("gw", "k1")), "home-a");
  p.sweepMoved();
  assert.equal(p.moved.has(rk("gw", "k1")), false);
});

test("an address updated after a sweep saw it counts from the update, not from the first move", { timeout: 5_000 }, () => {
  const p = placement();
  p.rememberMove("gw", "k1", "home-a");
  p.sweepMoved(); // the sweep has seen k1
  p.rememberMove("gw", "k1", "home-b"); // the session moved on again
  p.sweepMoved();
  assert.equal(p.moved.get(rk("gw", "k1")), "home-b", "swept one sweep after its update");
  p.sweepMoved();
  assert.equal(p.moved.has(rk("gw", "k1")), false);
});
