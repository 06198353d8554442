/**
 * One member joining and leaving a room in a loop (or connecting, joining
 * and dropping) cannot make the server send the whole participant list to
 * every member per step: the updates joins and leaves cause are coalesced
 * like a member's own changes (at least MEMBER_CHANGE_COALESCE_MS apart,
 * carrying the latest rows), while each leave is still told (client_left)
 * and the last state arrives. A client in the lobby keeps its round trips.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBER_CHANGE_COALESCE_MS } from "../../src/server/core/room-views.js";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

const ROUNDS = 40;

test("join/leave churn costs the room's members a few participants_update a second, not two per round; the last state arrives", { timeout: 90_000 }, async (t) => {
  // A high rate limit: many connections from many addresses churn at least this fast together.
  const server = await startServer(t, { maxMessagesPerSecond: 1000, messageBurst: 1000 });
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Host" });
  const roomId = await createRoom(host, "Churned");
  const member = await TestClient.connect(t, server.url);
  await joinRoom(member, roomId);
  const lobby = await TestClient.connect(t, server.url);
  const churner = await TestClient.connect(t, server.url);
  await member.flush();
  const before = member.all("participants_update").length;
  const startedAt = Date.now();
  for (let i = 0; i < ROUNDS; i++) {
    churner.send("join_room", {}, roomId, { id: `j${i}` });
    await churner.next("ack", (m) => m.payload.id === `j${i}`, 15_000);
    churner.send("leave_room", {}, roomId, { id: `l${i}` });
    await churner.next("ack", (m) => m.payload.id === `l${i}`, 15_000);
  }
  // Each leave is still told, at once.
  await waitFor(() => member.all("client_left").filter((m) => m.payload.client_id === churner.clientId).length === ROUNDS, `${ROUNDS} client_left at the member`, 15_000);
  // The last word: the churner is gone from the rows the member holds.
  const rows = (m: { payload: { participants: Array<{ id: string }> } }) => m.payload.participants.map((p) => p.id).sort();
  const expected = [host.clientId, member.clientId].sort();
  await waitFor(() => {
    const last = member.all("participants_update").at(-1);
    return last !== undefined && JSON.stringify(rows(last)) === JSON.stringify(expected);
  }, "the member's latest participants_update without the churner", 15_000);
  const elapsed = Date.now() - startedAt;
  const updates = member.all("participants_update").slice(before);
  // Before: two per round (80 here). Now: at most one per MEMBER_CHANGE_COALESCE_MS, plus one in flight.
  const bound = Math.ceil(elapsed / MEMBER_CHANGE_COALESCE_MS) + 2;
  assert.ok(updates.length <= bound, `${updates.length} participants_update for ${ROUNDS} rounds in ${elapsed} ms (at most ${bound})`);
  assert.ok(updates.length < ROUNDS, `${updates.length} participants_update for ${ROUNDS} rounds`);
  // The lobby still gets answers.
  lobby.send("ping", { client_ts: 42 });
  assert.ok(await lobby.next("pong", (m) => m.payload.client_ts === 42, 15_000));
  assert.equal(member.closeCode, null);
});

test("connect, join and drop in a loop: members get each departure, and the participant list at most every MEMBER_CHANGE_COALESCE_MS", { timeout: 90_000 }, async (t) => {
  const server = await startServer(t, { maxMessagesPerSecond: 1000, messageBurst: 1000 });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Dropped");
  await host.flush();
  const before = host.all("participants_update").length;
  const startedAt = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const c = await TestClient.connect(t, server.url);
    await joinRoom(c, roomId);
    ids.push(c.clientId);
    c.close();
  }
  await waitFor(() => ids.every((id) => host.all("client_left").some((m) => m.payload.client_id === id)), "a client_left for each dropped client", 15_000);
  await waitFor(() => {
    const last = host.all("participants_update").at(-1);
    return last !== undefined && last.payload.participants.length === 1;
  }, "the host's latest participants_update with the host alone", 15_000);
  const elapsed = Date.now() - startedAt;
  const updates = host.all("participants_update").length - before;
  const bound = Math.ceil(elapsed / MEMBER_CHANGE_COALESCE_MS) + 2;
  assert.ok(updates <= bound, `${updates} participants_update for 20 join-and-drop rounds in ${elapsed} ms (at most ${bound})`);
});
