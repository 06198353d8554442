/**
 * Nothing a user did is lost without a word (SDK side): a request made
 * while the server is down waits for the reconnect and is sent then, in
 * the order the requests were made (docs/sync.md, "Requests made while
 * offline"); a request the server's rate limiter refused is retried after
 * `retry_after_ms`. Real servers on real sockets; the restarted server
 * reads the same data file, so the room and its members come back.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { createServer } from "../../src/server/index.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

/** Short so that the outage below outlasts it: before, a request made offline failed after requestTimeoutMs. */
const REQUEST_TIMEOUT_MS = 1000;

function member(t: { after(fn: () => void): void }, url: string, name: string): PartyClient {
  const c = new PartyClient({ url, displayName: name, createSocket: nodeWebSocket, requestTimeoutMs: REQUEST_TIMEOUT_MS, backoff: { initialDelayMs: 50, maxDelayMs: 200 } });
  t.after(() => c.close());
  return c;
}

test("SDK: a pause and chat lines made while the server is down arrive, in order, once it is back", { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-offline-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataFile = join(dir, "rooms.db");
  const first = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent", dataFile });
  const { port } = await first.listen();
  const host = member(t, first.url, "Ana");
  const guest = member(t, first.url, "Ben");
  await host.connect();
  await guest.connect();
  const room = await host.createRoom({ name: "Outage", mediaUrl: "https://media.example/film.mp4" });
  await guest.joinRoom(room.id);
  await host.play(10);
  await waitFor(() => guest.room?.timeline.play_state === "playing", "guest sees play", 15_000);

  await first.close();
  await waitFor(() => host.connection.state === "reconnecting", "host notices the outage", 15_000);
  const done: string[] = [];
  const track = <T>(what: string, p: Promise<T>) =>
    p.then((v) => {
      done.push(what);
      return v;
    });
  const pause = track("pause", host.pause(12.5));
  const one = track("one", host.sendChat("said while offline"));
  const two = track("two", host.sendChat("and again"));
  // The outage under test: longer than requestTimeoutMs (what used to fail the requests), not a wait for a result.
  await new Promise((r) => setTimeout(r, 3 * REQUEST_TIMEOUT_MS));
  assert.deepEqual(done, [], "nothing settled while the server was down");

  const second = createServer({ port, host: "127.0.0.1", logLevel: "silent", dataFile });
  await second.listen();
  t.after(() => second.close());
  const ack = await pause;
  await Promise.all([one, two]);
  assert.deepEqual(done, ["pause", "one", "two"], "settled in the order made");
  assert.equal(ack.timeline?.play_state, "paused");
  await waitFor(() => guest.room?.timeline.play_state === "paused", "the guest sees the pause made offline", 20_000);
  assert.equal(guest.room?.timeline.position, 12.5, "paused where the host paused");
  await waitFor(() => (guest.room?.chat.length ?? 0) >= 2, "the guest gets the chat lines made offline", 20_000);
  assert.deepEqual(guest.room?.chat.map((c) => c.text), ["said while offline", "and again"]);
});

test("SDK: requests refused rate_limited are retried after retry_after_ms, and all arrive in order", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxMessagesPerSecond: 20, messageBurst: 5 });
  const host = member(t, server.url, "Ana");
  const guest = member(t, server.url, "Ben");
  await host.connect();
  await guest.connect();
  const room = await host.createRoom({ name: "Chatty" });
  await guest.joinRoom(room.id);
  let refused = 0;
  const off = host.connection.on("message", (m) => {
    if (m.type === "error" && m.payload.code === "rate_limited") refused++;
  });
  t.after(off);
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  await Promise.all(lines.map((l) => host.sendChat(l)));
  assert.ok(refused > 0, "the burst was over the limit (some lines were refused first)");
  await waitFor(() => (guest.room?.chat.length ?? 0) >= lines.length, "every line at the guest", 20_000);
  assert.deepEqual(guest.room?.chat.map((c) => c.text), lines);
});

test("SDK: leaving while the server is down waits only requestTimeoutMs, not offlineWaitMs (someone leaving, or a program shutting down, is not kept)", { timeout: 30_000 }, async (t) => {
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  await server.listen();
  t.after(() => server.close());
  const client = new PartyClient({
    url: server.url,
    displayName: "Ana",
    createSocket: nodeWebSocket,
    requestTimeoutMs: 500,
    offlineWaitMs: 10 * 60_000,
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  t.after(() => client.close());
  await client.connect();
  await client.createRoom({ name: "Left behind" });
  await server.close();
  await waitFor(() => client.connection.state === "reconnecting", "the client to notice the server is gone");
  // Settles within the test's timeout only if it does not wait the 10 min offlineWaitMs.
  await assert.rejects(client.leaveRoom(), (e: unknown) => (e as { code?: string }).code === "disconnected");
});
