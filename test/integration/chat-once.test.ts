/**
 * A chat line whose answer is lost is taken once, and its sender is not
 * told "not sent" about a line everyone read. The real `serve` process is
 * suspended (SIGSTOP: a laptop lid, a stalled VM, a long GC) while a line
 * is on its way, past the SDK's requestTimeoutMs; in one variant the
 * sender's client also gives its silent socket up and reconnects once the
 * server wakes. Before the
 * chat_message `nonce`, the SDK failed the line ("timeout" /
 * "disconnected") although the room showed it, and a Retry showed it twice.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createServer } from "../../src/server/index.js";
import { startServe } from "../support/serve-process.js";
import { sdkMember } from "../support/sdk-member.js";
import { startTcpPath } from "../support/tcp-path.js";
import { waitFor } from "../support/wait-for.js";

const REQUEST_TIMEOUT_MS = 800;

for (const variant of ["the server stalls", "the server stalls and the client gives up the socket"] as const) {
  test(`a chat line sent while ${variant} is taken once, and its sender is told it was sent`, { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "osp-chat-once-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const serve = await startServe(t, ["--data-file", join(dir, "rooms.db")], 60_000);
    const member = (name: string) =>
      sdkMember(t, serve.url, name, 15_000, {
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        // The first variant keeps its socket through the stall (the line times out on it); the second gives it up.
        silenceTimeoutMs: variant === "the server stalls" ? 0 : 2 * REQUEST_TIMEOUT_MS,
        backoff: { initialDelayMs: 50, maxDelayMs: 300 },
      });
    const ana = await member("Ana");
    const ben = await member("Ben");
    const room = await ana.createRoom({ name: "Stall", mediaUrl: "https://media.example/film.mp4" });
    await ben.joinRoom(room.id);
    // What Ben's chat shows: the room's lines as his client holds them (a reconnect replaces them with the room's).
    const seen = () => (ben.room?.chat ?? []).map((e) => e.text);

    const stopped = serve.child.kill("SIGSTOP");
    assert.ok(stopped, "SIGSTOP sent");
    let settled: string | null = null;
    const line = ana.sendChat("said during the stall").then(
      () => {
        settled = "sent";
      },
      (err: unknown) => {
        settled = `failed: ${String(err)}`;
      },
    );
    // The stall under test: longer than requestTimeoutMs, after which the line used to fail.
    await new Promise((r) => setTimeout(r, 3 * REQUEST_TIMEOUT_MS));
    if (variant === "the server stalls and the client gives up the socket") {
      await waitFor(() => ana.connection.state === "reconnecting", "Ana's client gives up the silent socket", 15_000);
    }
    assert.equal(settled, null, "the line is not given up while its fate is unknown");
    serve.child.kill("SIGCONT");

    await line;
    assert.equal(settled, "sent");
    // A marker after it: once Ben has it, every copy of the stalled line has been handled.
    await ana.sendChat("marker");
    await waitFor(() => seen().includes("marker"), "Ben receives the marker", 30_000);
    assert.deepEqual(
      seen().filter((s) => s === "said during the stall"),
      ["said during the stall"],
      `Ben has the line once: ${JSON.stringify(seen())}`,
    );
    assert.equal(ana.room?.chat.filter((e) => e.text === "said during the stall").length, 1, "Ana's view has it once");
  });
}

test("on a link slower than requestTimeoutMs a chat line still counts as sent once the room has it, and is shown once", { timeout: 90_000 }, async (t) => {
  const server = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  const { port } = await server.listen();
  t.after(() => server.close());
  const slow = await startTcpPath(t, port);
  const options = { requestTimeoutMs: 1000, backoff: { initialDelayMs: 50, maxDelayMs: 300 } };
  const ben = await sdkMember(t, server.url, "Ben", 15_000, options);
  const room = await ben.createRoom({ name: "Slow", mediaUrl: "https://media.example/film.mp4" });
  const ana = await sdkMember(t, `ws://127.0.0.1:${slow.port}/ws`, "Ana", 15_000, options);
  await ana.joinRoom(room.id);
  slow.delay(600); // a 1.2 s round trip from now on
  const seen = () => (ben.room?.chat ?? []).map((e) => e.text);
  // Every ack comes back after its request gave up (1.2 s > 1 s): before, the line was sent again and again and never settled.
  await ana.sendChat("over a slow link");
  await waitFor(() => seen().includes("over a slow link"), "Ben has the line", 15_000);
  await ben.sendChat("marker");
  await waitFor(() => seen().includes("marker"), "the marker", 15_000);
  assert.deepEqual(seen().filter((s) => s === "over a slow link"), ["over a slow link"], "shown once");
});
