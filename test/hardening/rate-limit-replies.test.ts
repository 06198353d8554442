/**
 * Every message with an `id` gets an answer, also when the rate limiter
 * drops it unhandled: `error rate_limited` with `ref` and `retry_after_ms`
 * (docs/protocol.md, docs/errors.md). Frames without an id still share one
 * notice a second. The server's clock is fake, so the bucket does not refill
 * while the flood is sent and the counts are exact on a busy machine. The
 * answers are bounded: a flood that piles them up behind a handler still
 * running is closed (4003 FLOODING).
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { FakeClock } from "../support/fake-clock.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

const BURST = 20;

test("rate limit: each dropped request with an id is answered rate_limited with its ref; the handled ones are acked", { timeout: 60_000 }, async (t) => {
  const clock = new FakeClock();
  const server = await startServer(t, { clock, maxMessagesPerSecond: 10, messageBurst: BURST });
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Host" });
  const roomId = await createRoom(host, "Chatty");
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  const flooder = await TestClient.connect(t, server.url);
  await joinRoom(flooder, roomId);
  // The flooder's hello/join took a few tokens already; it sends 100 lines at once.
  const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
  for (const id of ids) flooder.send("chat_message", { text: `line ${id}` }, roomId, { id });
  const answered = () => flooder.messages.filter((m) => (m.type === "ack" && ids.includes(m.payload.id)) || (m.type === "error" && ids.includes(m.payload.ref)));
  await waitFor(() => answered().length >= ids.length, "an answer to each of the 100 requests", 30_000);
  const acked = flooder.messages.filter((m) => m.type === "ack" && ids.includes(m.payload.id)).map((m) => m.payload.id as string);
  const refused = flooder.all("error").filter((m) => ids.includes(m.payload.ref));
  assert.equal(new Set([...acked, ...refused.map((m) => m.payload.ref as string)]).size, 100, "each id answered exactly once");
  assert.equal(acked.length + refused.length, 100);
  assert.ok(acked.length > 0 && acked.length <= BURST, `acked ${acked.length}`);
  for (const e of refused) {
    assert.equal(e.payload.code, "rate_limited");
    assert.ok(e.payload.retry_after_ms > 0, "retry_after_ms given");
  }
  // Answers keep the frames' order: the handled lines are the first ones.
  assert.deepEqual(acked, ids.slice(0, acked.length));
  // Only the acked lines reached the room.
  await waitFor(() => guest.all("chat_message").length >= acked.length, "the acked lines at the guest", 15_000);
  await guest.flush();
  assert.deepEqual(guest.all("chat_message").map((m) => m.payload.text), acked.map((id) => `line ${id}`));
  // Frames without an id still get one shared notice (the clock has not moved: no new second).
  const before = flooder.all("error").length;
  for (let i = 0; i < 20; i++) flooder.send("ping", { client_ts: i });
  flooder.send("chat_message", { text: "marker" }, roomId, { id: "m" });
  await flooder.next("error", (m) => m.payload.ref === "m", 15_000);
  assert.equal(flooder.all("error").length - before, 2, "one notice for the id-less frames, one answer for the marker");
  assert.equal(flooder.closeCode, null, "the connection lives");
});

test("rate limit: a flood piling more than 1,024 answers behind a handler still running is closed with 4003; others are unaffected", { timeout: 60_000 }, async (t) => {
  // A Jellyfin that takes its time over /Users/Me (answers only when the test lets it): the flooder's hello waits on it.
  const held: Array<() => void> = [];
  const slowJellyfin = createHttpServer((req, res) => {
    if (req.url?.startsWith("/Users/Me")) {
      held.push(() => {
        res.writeHead(401, { "content-type": "application/json" });
        res.end("{}");
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => slowJellyfin.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const release of held.splice(0)) release();
    slowJellyfin.close();
  });
  const { port } = slowJellyfin.address() as AddressInfo;
  const server = await startServer(t, { jellyfinUrl: `http://127.0.0.1:${port}`, maxMessagesPerSecond: 1, messageBurst: 5 });
  const bystander = await TestClient.connect(t, server.url);
  const flooder = await TestClient.connect(t, server.url);
  flooder.send("hello", { token: "slow-token" }, "", { id: "h" });
  await waitFor(() => held.length > 0, "the hello's sign-in to reach Jellyfin", 15_000);
  for (let i = 0; i < 1200; i++) flooder.send("list_rooms", {}, "", { id: `f${i}` });
  await waitFor(() => flooder.closeCode !== null, "the flooding connection to be closed", 30_000);
  assert.equal(flooder.closeCode, 4003, "closed as flooding");
  // The server keeps serving everyone else.
  await bystander.flush(); // a ping answered (in auth mode an anonymous socket gets little more)
  assert.equal(bystander.closeCode, null);
});
