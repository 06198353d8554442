/**
 * A member that stops reading is cut (4005) and, like every other way a
 * connection ends, gets the resume grace and then leaves the room: the
 * others see `client_left` and the counts drop. The server destroys its
 * socket when the close frame cannot get through the full queue.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Socket } from "node:net";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

test("a slow consumer is removed from its room within the grace and the others see client_left", { timeout: 120_000 }, async (t) => {
  const resumeGraceMs = 1_500;
  const server = await startServer(t, {
    maxBufferedBytes: 256 * 1024,
    softMaxBufferedBytes: 64 * 1024,
    maxChatLength: 50_000,
    maxMessagesPerSecond: 10_000,
    messageBurst: 10_000,
    resumeGraceMs,
    closeTimeoutMs: 500,
  });
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Flood");
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  const slow = await TestClient.connect(t, server.url);
  slow.send("hello", { display_name: "Slow" }); // an SDK client: it gets the resume grace
  await joinRoom(slow, roomId);
  await host.next("participants_update", (m) => m.payload.participant_count === 3, 15_000);

  // The slow member stops reading; the host chats big lines until the server gives up on it.
  (slow.ws as unknown as { _socket: Socket })._socket.pause();
  t.after(() => slow.drop());
  const line = "x".repeat(40_000);
  let sent = 0;
  while (server.core.hub.sessions.get(slow.clientId)?.connected !== false && sent < 2_000) {
    for (let i = 0; i < 20; i++) host.send("chat_message", { text: line }, roomId);
    sent += 20;
    await host.flush(); // the host and the guest keep reading; only the slow one falls behind
    await guest.flush();
  }
  const cutAfter = sent;
  assert.ok(cutAfter < 2_000, `the slow member was cut (after ${cutAfter} lines)`);

  // It is "reconnecting" for the grace, then leaves like any dropped member.
  const left = await guest.next("client_left", (m) => m.payload.client_id === slow.clientId, resumeGraceMs + 15_000);
  assert.equal(left.payload.reason, "expired");
  await waitFor(() => server.core.stats().members === 2, "the room counts two members", 15_000);
  assert.equal(server.core.hub.sessions.has(slow.clientId), false, "the session is gone");
  assert.equal(server.core.stats().connections, 2, "its connection is gone too");
  // The guest's own view agrees.
  const parts = await guest.next("participants_update", (m) => m.payload.participant_count === 2, 15_000);
  assert.ok(!parts.payload.participants.some((p: { id: string }) => p.id === slow.clientId));
  assert.equal(guest.closeCode, null);
  assert.equal(host.closeCode, null);
});
