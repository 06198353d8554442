/**
 * What `cluster_unavailable` asks of a client, done by the SDK itself: a
 * request the cluster refuses for a moment (Redis unreachable, a room
 * between owners) is sent again after the server's `retry_after_ms`, so a
 * viewer's chat line or pause is not lost to a short outage; past the
 * request timeout the caller gets the code. Real redis-server, two
 * instances, the SDK over real WebSockets.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient, PartyError } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startInProcessCluster } from "../support/cluster-inproc.js";
import { startRedis, uniquePrefix } from "../support/redis.js";
import { waitFor } from "../support/wait-for.js";

test("the SDK retries a request refused with cluster_unavailable until Redis is back, and gives up after its timeout", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await startInProcessCluster(t, 2, redis.url, uniquePrefix());
  const client = (url: string, name: string, requestTimeoutMs: number) => {
    const c = new PartyClient({ url, displayName: name, createSocket: nodeWebSocket, requestTimeoutMs });
    t.after(() => c.close());
    return c;
  };
  const host = client(a!.url, "Host", 60_000);
  const guest = client(b!.url, "Guest", 60_000);
  const impatient = client(b!.url, "Impatient", 1_500);
  await Promise.all([host.connect(), guest.connect(), impatient.connect()]);
  const room = await host.createRoom({ name: "Retry party" });
  await guest.joinRoom(room.id);
  await impatient.joinRoom(room.id);
  const heard: string[] = [];
  host.on("chat", (c) => heard.push(c.text));

  await redis.stop();
  await waitFor(async () => (await (await fetch(`${b!.httpUrl}/health`)).json()).redis === "unreachable", "instance b to see Redis gone", 15_000);
  // Sent while Redis is down: refused, retried by the SDK, delivered once Redis is back.
  const sent = guest.sendChat("said during the outage");
  // A client whose request timeout is shorter than the outage gets the code, not a hang.
  await assert.rejects(impatient.sendChat("gives up"), (err: unknown) => err instanceof PartyError && err.code === "cluster_unavailable");
  await redis.start();
  await sent;
  await waitFor(() => heard.includes("said during the outage"), "the host to hear the chat line sent during the outage", 20_000);
  assert.equal(heard.filter((x) => x === "said during the outage").length, 1, `said once: ${JSON.stringify(heard)}`);
  assert.ok(!heard.includes("gives up"), "the refused, abandoned line was never applied");
});
