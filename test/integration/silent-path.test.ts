/**
 * A connection whose network path dies without a close is noticed and
 * replaced. The path (test/support/tcp-path.ts) stops carrying bytes and
 * closes nothing, as when Wi-Fi changes networks or a laptop wakes; new
 * connections work. Before the silence watch the SDK kept the dead socket
 * "open" for as long as TCP retried (minutes): its viewer missed every
 * command and its own chat line waited. Now it reconnects within
 * `silenceTimeoutMs` of its first unanswered ping, resumes the same
 * session, sees what the room did meanwhile, and its chat line arrives
 * (once: chat_message `nonce`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createServer } from "../../src/server/index.js";
import { sdkMember } from "../support/sdk-member.js";
import { startTcpPath } from "../support/tcp-path.js";
import { waitFor } from "../support/wait-for.js";

test("a member whose network path goes silent reconnects, keeps its session, catches up, and its chat line arrives once", { timeout: 90_000 }, async (t) => {
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  const { port } = await server.listen();
  t.after(() => server.close());
  const path = await startTcpPath(t, port);
  const options = { silenceTimeoutMs: 2000, backoff: { initialDelayMs: 50, maxDelayMs: 300 } };
  const host = await sdkMember(t, server.url, "Ana", 15_000, options);
  const guest = await sdkMember(t, `ws://127.0.0.1:${path.port}/ws`, "Ben", 15_000, options);
  const room = await host.createRoom({ name: "Wi-Fi", mediaUrl: "https://media.example/film.mp4" });
  await guest.joinRoom(room.id);
  await host.play(5);
  await waitFor(() => guest.room?.timeline.play_state === "playing", "Ben sees play", 15_000);
  const guestId = guest.connection.clientId;
  const seenByHost: string[] = [];
  host.on("chat", (e) => seenByHost.push(e.text));

  path.blackhole();
  const states: string[] = [];
  guest.connection.on("state", ({ state }) => states.push(state));
  const chat = guest.sendChat("my Wi-Fi hiccuped");
  await host.seek(40); // the host moves on while Ben's path is dead
  await waitFor(() => states.includes("reconnecting"), "Ben's client gives up the silent socket", 30_000);
  await chat;
  assert.equal(guest.connection.state, "open");
  assert.equal(guest.connection.clientId, guestId, "the same session was resumed");
  assert.ok(path.connections >= 2, "Ben reconnected through the path");
  await waitFor(() => seenByHost.includes("my Wi-Fi hiccuped"), "the host gets Ben's chat line", 15_000);
  const seekLine = host.room!.timeline;
  await waitFor(() => guest.room?.timeline.anchor_server_ts === seekLine.anchor_server_ts, "Ben has the host's seek to 40", 15_000).catch(
    (err: unknown) => assert.fail(`${String(err)}: Ben ${JSON.stringify(guest.room?.timeline)}, host ${JSON.stringify(host.room?.timeline)}`),
  );
  await host.sendChat("marker");
  await waitFor(() => seenByHost.includes("marker"), "the host's marker", 15_000);
  assert.equal(seenByHost.filter((s) => s === "my Wi-Fi hiccuped").length, 1, "Ben's line shown once");
});
