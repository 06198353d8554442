import assert from "node:assert/strict";
import { test } from "node:test";
import { positionAt } from "../../../src/protocol/index.js";
import { CoreHarness } from "../../support/core-harness.js";

test("player_event is scheduled at now + default lead and relayed to the others, not the sender", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.take();
  const t0 = h.clock.now();
  host.send("player_event", { action: "play", position: 10 }, roomId, { id: 7 });
  const ev = guest.last("player_event");
  assert.equal(ev.payload.action, "play");
  assert.equal(ev.payload.position, 10);
  assert.equal(ev.payload.target_server_ts, t0 + 300);
  assert.deepEqual(ev.payload.timeline, { position: 10, play_state: "playing", rate: 1, anchor_server_ts: t0 + 300 });
  assert.equal(ev.client, host.id);
  const mine = host.take();
  assert.equal(mine.filter((m) => m.type === "player_event").length, 0, "the sender is not relayed its own event");
  const ack = mine.find((m) => m.type === "ack");
  assert.ok(ack, "the sender learns the instant from its ack");
  assert.equal(ack.payload.id, 7);
  assert.equal(ack.payload.target_server_ts, t0 + 300);
});

test("lead adapts to the worst reported rtt and stays within [minLeadMs, maxLeadMs]", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ minLeadMs: 100, maxLeadMs: 1500, defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  const target = (): number => {
    const before = h.clock.now();
    host.send("player_event", { action: "seek", position: 1 }, roomId);
    return guest.last("player_event").payload.target_server_ts - before;
  };
  guest.send("sync_report", { offset_ms: 0, rtt_ms: 200 }, roomId);
  assert.equal(target(), Math.round(200 * 1.2 + 60));
  guest.send("sync_report", { offset_ms: 0, rtt_ms: 10 }, roomId);
  assert.equal(target(), 100, "clamped up to minLeadMs");
  guest.send("sync_report", { offset_ms: 0, rtt_ms: 5000 }, roomId);
  assert.equal(target(), 1500, "clamped down to maxLeadMs");
});

test("the ws heartbeat rtt also feeds the lead", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ minLeadMs: 100, maxLeadMs: 1500, defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  guest.conn.rttSample(500);
  const before = h.clock.now();
  host.send("player_event", { action: "seek", position: 3 }, roomId);
  assert.equal(guest.last("player_event").payload.target_server_ts - before, 660);
});

test("a person's pause takes effect at once on the frame the pauser reported", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 10 }, roomId);
  h.clock.advance(2300); // playing for 2 s past the play's target instant
  const now = h.clock.now();
  host.send("player_event", { action: "pause", position: 12.13 }, roomId);
  const ev = guest.last("player_event");
  assert.equal(ev.payload.position, 12.13, "the pauser's own position, relayed as sent");
  assert.equal(ev.payload.target_server_ts, now, "no lead: the pauser already stopped");
  assert.deepEqual(ev.payload.timeline, { position: 12.13, play_state: "paused", rate: 1, anchor_server_ts: now });
});

test("a pause far from the timeline is taken as reported too", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 10 }, roomId);
  h.clock.advance(2300);
  host.send("player_event", { action: "pause", position: 40 }, roomId);
  assert.equal(guest.last("player_event").payload.position, 40);
});

test("a rate change (play while playing with another rate) continues the line from now at the new rate", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 10 }, roomId);
  h.clock.advance(2300);
  const now = h.clock.now();
  host.send("player_event", { action: "play", position: 11.9, rate: 1.5 }, roomId);
  const ev = guest.last("player_event");
  assert.equal(ev.payload.reason, "rate");
  assert.deepEqual(ev.payload.timeline, { position: 12, play_state: "playing", rate: 1.5, anchor_server_ts: now });
  const late = h.join(roomId);
  assert.equal(late.last("room_state").payload.timeline.rate, 1.5, "a late joiner gets the room's rate");
});

test("seek keeps the play state; a late joiner's room_state is where playback is now", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  host.send("player_event", { action: "play", position: 0 }, roomId);
  host.send("player_event", { action: "seek", position: 100 }, roomId);
  assert.equal(h.hub.rooms.get(roomId)?.timeline.play_state, "playing");
  h.clock.advance(5300);
  const late = h.join(roomId);
  const st = late.last("room_state").payload;
  assert.equal(st.state.play_state, "playing");
  assert.ok(Math.abs(st.state.position - 105) < 1e-9, `expected 105, got ${st.state.position}`);
  assert.equal(st.state.server_ts, h.clock.now());
  assert.equal(positionAt(st.timeline, h.clock.now()), st.state.position);
});

test("a playing room re-announces its timeline as state_update for seed clients", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ stateBroadcastIntervalMs: 5000, defaultLeadMs: 300 });
  const { host, roomId } = h.createRoom();
  const guest = h.join(roomId);
  host.send("player_event", { action: "play", position: 0 }, roomId);
  guest.take();
  h.clock.advance(5000);
  const updates = guest.take("state_update");
  assert.equal(updates.length, 1);
  assert.ok(Math.abs(updates[0]!.payload.position - 4.7) < 1e-9);
  host.send("player_event", { action: "pause", position: 4.7 }, roomId);
  guest.take();
  h.clock.advance(20_000);
  assert.equal(guest.take("state_update").length, 0, "a paused room stays quiet");
});

test("a line whose start is still ahead stands at its position: a rate change or a buffering pause before the start does not move the room back", { timeout: 30_000 }, () => {
  for (const lead of [300, 1500]) {
    const h = new CoreHarness({ defaultLeadMs: lead, minLeadMs: 100, maxLeadMs: 1500, stallPauseAfterMs: 0 });
    const { host, roomId } = h.createRoom();
    const b = h.join(roomId);
    host.send("player_event", { action: "pause", position: 27 }, roomId);
    const t0 = h.clock.now();
    host.send("player_event", { action: "play", position: 27 }, roomId);
    h.clock.advance(50); // the speed change follows the play before its start instant (a quick click)
    host.send("player_event", { action: "play", position: 27, rate: 1.5 }, roomId);
    const rate = b.last("player_event").payload.timeline as { position: number; rate: number; anchor_server_ts: number };
    assert.equal(rate.rate, 1.5);
    assert.equal(rate.position, 27, `lead ${lead}: the rate change keeps the play's position (was 27 − lead × rate)`);
    assert.equal(rate.anchor_server_ts, t0 + lead, `lead ${lead}: and its start instant`);
    // A member stalls before the start: the room pauses where the line stands at the pause's instant, never before its start.
    b.send("ready", { ready: false }, roomId);
    const pause = b.last("player_event").payload as { action: string; timeline: { position: number } };
    assert.equal(pause.action, "pause");
    assert.ok(pause.timeline.position >= 27, `lead ${lead}: the buffering pause is not before the line's start: ${pause.timeline.position}`);
  }
});
