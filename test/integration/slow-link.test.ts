/**
 * A viewer on a very slow link (satellite, congested mobile: round trips of
 * seconds) gets in, stays in sync and is heard. The link is a userspace TCP
 * path (test/support/tcp-path.ts) that holds every chunk 3 s each way: a
 * 6 s round trip, longer than the viewer's `requestTimeoutMs` and
 * `silenceTimeoutMs` (4 s) and than the clock's former ping timeout (5 s).
 * Before: the upgrade was taken for a dead socket, every hello timed out and
 * the client reconnected for ever; with a default timeout it got in but its
 * clock never had a sample, so its player never followed the room. Now
 * waits grow with the round trips seen (src/client/connection/round-trip.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createServer } from "../../src/server/index.js";
import { attachFakePlayer, sdkMember } from "../support/sdk-member.js";
import { startTcpPath } from "../support/tcp-path.js";
import { waitFor } from "../support/wait-for.js";

const ONE_WAY_MS = 3000;

test("a viewer on a 6 s round-trip link with 4 s timeouts connects, joins, syncs its player and chats", { timeout: 150_000 }, async (t) => {
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  const { port } = await server.listen();
  t.after(() => server.close());
  const path = await startTcpPath(t, port);
  path.delay(ONE_WAY_MS);
  const host = await sdkMember(t, server.url, "Ana");
  const room = await host.createRoom({ name: "Far away", mediaUrl: "https://media.example/film.mp4" });
  const hostPlayer = attachFakePlayer(host);

  const options = { requestTimeoutMs: 4000, silenceTimeoutMs: 4000, backoff: { initialDelayMs: 100, maxDelayMs: 500 } };
  let stop: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    stop = setTimeout(() => reject(new Error("no session within 90 s")), 90_000);
  });
  const guest = await Promise.race([sdkMember(t, `ws://127.0.0.1:${path.port}/ws`, "Ben", 90_000, options), gaveUp])
    .catch((err: unknown) => assert.fail(`Ben never got in over the slow link (${path.connections} connections): ${String(err)}`))
    .finally(() => clearTimeout(stop));
  // Timers fire on whole milliseconds, so a round trip can read a fraction of a millisecond under the two holds.
  assert.ok(guest.clock.rttMs >= 2 * ONE_WAY_MS - 10, `the clock measured the slow link: ${guest.clock.rttMs} ms`);
  await guest.joinRoom(room.id);
  const guestPlayer = attachFakePlayer(guest);

  await host.play(10);
  await waitFor(() => !guestPlayer.isPaused() && guestPlayer.getPosition() > 10, "Ben's player plays", 30_000);
  // Converged: positions read at one instant agree (the link is symmetric, so the clock estimate is good).
  let gapMs = Number.POSITIVE_INFINITY;
  await waitFor(() => {
    gapMs = Math.abs(guestPlayer.getPosition() - hostPlayer.getPosition()) * 1000;
    return gapMs < 50;
  }, "Ben's player within 50 ms of Ana's", 30_000).catch((err: unknown) => assert.fail(`${String(err)}: ${gapMs.toFixed(0)} ms apart`));

  t.diagnostic(`players ${gapMs.toFixed(1)} ms apart; clock rtt ${guest.clock.rttMs.toFixed(0)} ms, error bound ${guest.clock.errorBoundMs.toFixed(0)} ms`);
  const heard: string[] = [];
  host.on("chat", (e) => heard.push(e.text));
  await guest.sendChat("hello from the far end");
  await waitFor(() => heard.includes("hello from the far end"), "Ana reads Ben's line", 30_000);
  assert.equal(guest.connection.state, "open");
});
