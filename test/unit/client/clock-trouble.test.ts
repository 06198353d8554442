/**
 * Clock trouble (issue 9): the viewer's local clock jumps 30 s back or
 * ahead mid-party (a laptop waking, a frozen tab). The real ClockSync and
 * SyncEngine run on a local clock that jumps; timers and media run on true
 * time (FakeClock), as in a browser. Within 3 s the viewer is within 0.25 s
 * of the room again, never seeks towards the start, and its status never
 * says "synced" while it is off.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClockSync } from "../../../src/client/clock-sync.js";
import { SyncEngine, type SyncStatus } from "../../../src/client/sync-engine.js";
import type { Timeline } from "../../../src/protocol/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakePlayer } from "../../support/fake-player.js";

const SERVER_OFFSET_MS = 2000;

function setup() {
  const clock = new FakeClock(1_000_000);
  let jumpMs = 0;
  const localNow = () => clock.now() + jumpMs;
  const trueServerNow = () => clock.now() + SERVER_OFFSET_MS;
  const sync: ClockSync = new ClockSync({
    now: localNow,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    sendPing: (clientTs) => {
      const rx = trueServerNow() + 25;
      clock.setTimeout(() => sync.handlePong({ client_ts: clientTs, server_rx_ts: rx, server_tx_ts: rx + 1 }, localNow()), 51);
    },
  });
  sync.start();
  const player = new FakePlayer({ clock, seekLatencyMs: 120 });
  const engine = new SyncEngine({
    player,
    clock: sync,
    send: { command: () => {}, ready: () => {}, report: () => {} },
    canControl: () => false,
    options: { initialStartDelayMs: 0 },
  });
  const statuses: SyncStatus[] = [];
  engine.on("status", (s) => statuses.push(s));
  const line: Timeline = { position: 20, play_state: "playing", rate: 1, anchor_server_ts: trueServerNow() + 1000 };
  const roomPos = () => line.position + (trueServerNow() - line.anchor_server_ts) / 1000;
  const trueOffsetS = () => player.truePosition() - roomPos();
  return {
    clock,
    sync,
    player,
    engine,
    line,
    roomPos,
    trueOffsetS,
    jump: (ms: number) => {
      jumpMs += ms;
    },
    stop: () => {
      engine.destroy();
      sync.stop();
    },
  };
}

async function jumpCase(jumpMs: number) {
  const h = setup();
  h.engine.setTimeline(h.line);
  await h.clock.advanceAsync(10_000);
  assert.ok(Math.abs(h.trueOffsetS()) < 0.03, `in sync before the jump: ${h.trueOffsetS()} s`);
  const seeksBefore = h.player.seeks.length;
  const posAtJump = h.roomPos();
  h.jump(jumpMs);
  let syncedWhileOff = 0;
  for (let t = 0; t < 3000; t += 50) {
    await h.clock.advanceAsync(50);
    if (h.engine.status().state === "synced" && Math.abs(h.trueOffsetS()) > 0.1) syncedWhileOff++;
  }
  assert.ok(Math.abs(h.trueOffsetS()) < 0.25, `within 0.25 s of the room 3 s after a ${jumpMs} ms jump: ${h.trueOffsetS()} s`);
  for (const s of h.player.seeks.slice(seeksBefore)) {
    assert.ok(s.position > posAtJump - 1, `no seek towards the start: sought ${s.position} s with the room at ${posAtJump} s`);
  }
  assert.equal(syncedWhileOff, 0, "status never said synced while more than 100 ms off");
  await h.clock.advanceAsync(5000);
  assert.ok(Math.abs(h.trueOffsetS()) < 0.03, `settled: ${h.trueOffsetS()} s`);
  h.stop();
}

describe("SyncEngine + ClockSync under clock trouble", { timeout: 30_000 }, () => {
  it("a local clock jumping 30 s back", { timeout: 30_000 }, () => jumpCase(-30_000));
  it("a local clock jumping 30 s ahead (or a page suspended 30 s)", { timeout: 30_000 }, () => jumpCase(30_000));
});
