/**
 * A member's own changes (needs_click, media_problem, ready, its name) are
 * told to the room at once, but one member toggling them at the rate limit
 * cannot make the server send the whole participant list to every member
 * per toggle: updates for such changes are at least
 * MEMBER_CHANGE_COALESCE_MS apart and carry the latest rows.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBER_CHANGE_COALESCE_MS } from "../../src/server/core/room-views.js";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

test("a member toggling its flags at the rate limit costs the room a few participants_update a second, not one per toggle; the last state arrives", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Flags");
  const bystander = await TestClient.connect(t, server.url);
  await joinRoom(bystander, roomId);
  const toggler = await TestClient.connect(t, server.url);
  await joinRoom(toggler, roomId);
  await host.flush();
  await bystander.flush();
  const row = (m: { payload: { participants: Array<{ id: string; needs_click?: boolean; media_problem?: boolean; ready: boolean }> } }) =>
    m.payload.participants.find((p) => p.id === toggler.clientId);

  const before = bystander.all("participants_update").length;
  const startedAt = Date.now();
  // 30 frames a second (the rate limit), each flipping a flag the room is told about "at once".
  const kinds = [
    (i: number) => toggler.send("sync_report", { offset_ms: 1, rtt_ms: 1, needs_click: i % 2 === 0 }, roomId),
    (i: number) => toggler.send("sync_report", { offset_ms: 1, rtt_ms: 1, media_problem: i % 2 === 0 }, roomId),
    (i: number) => toggler.send("ready", { ready: i % 2 === 1 }, roomId),
  ];
  for (let i = 0; i < 60; i++) {
    kinds[Math.floor(i / 20)]!(i);
    await new Promise((r) => setTimeout(r, 1000 / 30));
  }
  toggler.send("sync_report", { offset_ms: 1, rtt_ms: 1, needs_click: true, media_problem: false }, roomId);
  toggler.send("ready", { ready: true }, roomId);
  await toggler.flush();
  // The last word reaches the others (coalesced, not lost).
  const last = await waitFor(
    () => bystander.all("participants_update").reverse().find((m) => row(m)?.needs_click === true && row(m)?.media_problem !== true && row(m)?.ready === true),
    "the toggler's final flags at the bystander",
    15_000,
  );
  assert.ok(last);
  const elapsed = Date.now() - startedAt;
  const updates = bystander.all("participants_update").length - before;
  // Before: one per toggle (62 here). Now: at most one per MEMBER_CHANGE_COALESCE_MS, plus the telemetry updates (1/s) and one in flight.
  const bound = Math.ceil(elapsed / MEMBER_CHANGE_COALESCE_MS) + Math.ceil(elapsed / 1000) + 2;
  assert.ok(updates <= bound, `${updates} participants_update in ${elapsed} ms (at most ${bound})`);
  assert.equal(bystander.closeCode, null);
});
