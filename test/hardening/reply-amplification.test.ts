/**
 * Answers far larger than their questions — the room_state a join gets
 * (members, settings, the chat history) and the room_list a list_rooms
 * gets — let one address with many connections make the server send
 * hundreds of MB in seconds. Each address now gets REPLY_BURST_BYTES of
 * them at once and REPLY_BYTES_PER_SECOND after; one more is refused with
 * rate_limited, ref and retry_after_ms, while other addresses are answered
 * at once and a member elsewhere keeps its round trips.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { REPLY_BURST_BYTES, REPLY_BYTES_PER_SECOND } from "../../src/server/core/reply-budget.js";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { type Received, TestClient } from "../support/ws-client.js";

test("join/leave loops from one address stop at its room_state budget with rate_limited; another address joins at once", { timeout: 120_000 }, async (t) => {
  // A high message rate: the budget, not the per-connection rate limit, is what this test meets.
  const server = await startServer(t, { maxMessagesPerSecond: 10_000, messageBurst: 10_000, maxConnectionsPerIp: 0 });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Full chat");
  // A full chat history of lines that cost twice their length in JSON (every `"` is escaped).
  const line = '"'.repeat(1000);
  for (let i = 0; i < 50; i++) {
    host.send("chat_message", { text: line }, roomId, { id: `c${i}` });
    await host.next("ack", (m) => m.payload.id === `c${i}`, 15_000);
  }
  const elsewhere = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
  const otherRoom = await createRoom(elsewhere, "Elsewhere");

  const attackers = await Promise.all(Array.from({ length: 4 }, () => TestClient.connect(t, server.url)));
  const startedAt = Date.now();
  let bytes = 0;
  let joins = 0;
  let refusal: Received | null = null;
  // Enough joins for 10 times the burst if nothing stops them.
  const maxRounds = Math.ceil((10 * REPLY_BURST_BYTES) / (50 * 2000) / attackers.length);
  for (let round = 0; round < maxRounds && !refusal; round++) {
    const answers = await Promise.all(
      attackers.map((a, i) => {
        const id = `j${round}-${i}`;
        a.send("join_room", {}, roomId, { id });
        // The join's answer: its ack (after its room_state) or an error naming it.
        return waitFor(
          () => a.all("ack").find((m) => m.payload.id === id) ?? a.all("error").find((m) => m.payload.ref === id),
          `the answer to join ${id}`,
          15_000,
        ).then((answer) => ({ a, answer }));
      }),
    );
    for (const { a, answer } of answers) {
      if (answer.type === "error") {
        refusal = answer;
        continue;
      }
      joins++;
      bytes += JSON.stringify(a.all("room_state").at(-1)).length;
      a.send("leave_room", {}, roomId);
    }
  }
  const elapsedS = (Date.now() - startedAt) / 1000;
  assert.ok(refusal, `${joins} joins, ${Math.round(bytes / 1e6)} MB of room_state to one address, never refused`);
  assert.equal(refusal.payload.code, "rate_limited");
  assert.equal(refusal.payload.type, "join_room");
  assert.ok(refusal.payload.retry_after_ms > 0, "the refusal says when to retry");
  const allowed = REPLY_BURST_BYTES + REPLY_BYTES_PER_SECOND * elapsedS + attackers.length * 150_000;
  assert.ok(bytes <= allowed, `${bytes} bytes of room_state in ${elapsedS} s (at most ${Math.round(allowed)})`);

  // Another address is not limited by this one; the member elsewhere keeps its round trips.
  const newcomer = await TestClient.connect(t, server.url, { localAddress: "127.0.0.3" });
  const state = await joinRoom(newcomer, roomId);
  assert.equal(state.payload.chat.length, 50, "another address gets the room with its history at once");
  elsewhere.send("ping", { client_ts: 7 }, otherRoom);
  assert.ok(await elsewhere.next("pong", (m) => m.payload.client_ts === 7, 15_000));
  assert.equal(host.closeCode, null);
});

test("list_rooms loops from one address stop at its budget with rate_limited; pushed lists and other addresses are not limited", { timeout: 120_000 }, async (t) => {
  const server = await startServer(t, { maxMessagesPerSecond: 10_000, messageBurst: 10_000, maxConnectionsPerIp: 0, maxRoomsPerIp: 100 });
  // A full lobby of rows that cost twice their length in JSON.
  for (let i = 0; i < 50; i++) {
    const host = await TestClient.connect(t, server.url);
    await createRoom(host, `${i}`.padEnd(100, '"'), 0, { media_title: '"'.repeat(200) });
  }
  const attackers = await Promise.all(Array.from({ length: 4 }, () => TestClient.connect(t, server.url)));
  const startedAt = Date.now();
  let bytes = 0;
  let lists = 0;
  let refusal: Received | null = null;
  const maxRounds = Math.ceil((10 * REPLY_BURST_BYTES) / 30_000 / attackers.length);
  for (let round = 0; round < maxRounds && !refusal; round++) {
    const answers = await Promise.all(
      attackers.map((a, i) => {
        const id = `q${round}-${i}`;
        a.send("list_rooms", {}, "", { id });
        return waitFor(
          () => a.all("ack").find((m) => m.payload.id === id) ?? a.all("error").find((m) => m.payload.ref === id),
          `the answer to list_rooms ${id}`,
          15_000,
        ).then((answer) => ({ a, answer }));
      }),
    );
    for (const { a, answer } of answers) {
      if (answer.type === "error") refusal = answer;
      else {
        lists++;
        bytes += JSON.stringify(a.all("room_list").at(-1)).length;
      }
    }
  }
  const elapsedS = (Date.now() - startedAt) / 1000;
  assert.ok(refusal, `${lists} room lists, ${Math.round(bytes / 1e6)} MB to one address, never refused`);
  assert.equal(refusal.payload.code, "rate_limited");
  assert.equal(refusal.payload.type, "list_rooms");
  assert.ok(refusal.payload.retry_after_ms > 0, "the refusal says when to retry");
  const allowed = REPLY_BURST_BYTES + REPLY_BYTES_PER_SECOND * elapsedS + attackers.length * 40_000;
  assert.ok(bytes <= allowed, `${bytes} bytes of room_list in ${elapsedS} s (at most ${Math.round(allowed)})`);
  // A lobby client at the same address still gets the pushed list when a room opens.
  const watcher = attackers[0]!;
  const opener = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
  const opened = await createRoom(opener, "Newly opened");
  // With a second member it ranks first among the 51 rooms, so the listed rows change and are pushed.
  await joinRoom(await TestClient.connect(t, server.url, { localAddress: "127.0.0.4" }), opened);
  await watcher.next("room_list", (m) => m.payload.some((r: { id: string }) => r.id === opened), 15_000);
  // Another address asks and gets the list at once.
  const other = await TestClient.connect(t, server.url, { localAddress: "127.0.0.3" });
  other.send("list_rooms", {}, "", { id: "x" });
  await other.next("ack", (m) => m.payload.id === "x", 15_000);
  assert.ok(other.all("error").length === 0, "no refusal for another address");
});

test("resume loops into a room with a full chat stop at the same budget; the refused token still resumes after retry_after_ms", { timeout: 120_000 }, async (t) => {
  const server = await startServer(t, { maxMessagesPerSecond: 10_000, messageBurst: 10_000, maxConnectionsPerIp: 0 });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Full chat");
  for (let i = 0; i < 50; i++) {
    host.send("chat_message", { text: '"'.repeat(1000) }, roomId, { id: `c${i}` });
    await host.next("ack", (m) => m.payload.id === `c${i}`, 15_000);
  }
  const member = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
  member.send("hello", { display_name: "Looper" });
  await joinRoom(member, roomId);
  let token: string = member.all("client_hello")[0]!.payload.resume_token;
  let previous = member;
  let bytes = 0;
  let resumes = 0;
  let refusal: Received | null = null;
  let last: TestClient = member;
  const startedAt = Date.now();
  const maxRounds = Math.ceil((10 * REPLY_BURST_BYTES) / (50 * 2000));
  for (let i = 0; i < maxRounds && !refusal; i++) {
    const c = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
    last = c;
    c.send("resume", { resume_token: token }, "", { id: `r${i}` });
    const answer = await waitFor(
      () => c.all("ack").find((m) => m.payload.id === `r${i}`) ?? c.all("error").find((m) => m.payload.ref === `r${i}`),
      `the answer to resume r${i}`,
      15_000,
    );
    if (answer.type === "error") {
      refusal = answer;
      break;
    }
    resumes++;
    token = c.all("resumed").at(-1)!.payload.resume_token;
    bytes += JSON.stringify(c.all("room_state").at(-1)).length;
    previous.close();
    previous = c;
  }
  const elapsedS = (Date.now() - startedAt) / 1000;
  assert.ok(refusal, `${resumes} resumes, ${Math.round(bytes / 1e6)} MB of room_state to one address, never refused`);
  assert.equal(refusal.payload.code, "rate_limited");
  assert.equal(refusal.payload.type, "resume");
  const allowed = REPLY_BURST_BYTES + REPLY_BYTES_PER_SECOND * elapsedS + 150_000;
  assert.ok(bytes <= allowed, `${bytes} bytes of room_state in ${elapsedS} s (at most ${Math.round(allowed)})`);
  // Nothing was lost: after the time the refusal named, the same token takes the session back.
  const retryAt = Date.now() + refusal.payload.retry_after_ms;
  await waitFor(() => Date.now() >= retryAt, "the refusal's retry_after_ms", 30_000);
  last.send("resume", { resume_token: token }, "", { id: "again" });
  await last.next("ack", (m) => m.payload.id === "again", 15_000);
  assert.equal(last.all("resumed").at(-1)?.payload.room, roomId, "the session is back in its room");
});
