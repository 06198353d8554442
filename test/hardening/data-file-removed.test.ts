/**
 * The data file (or its write-ahead log) deleted or replaced while the
 * server runs: the server notices — at its next write, or within
 * STORE_CHECK_INTERVAL_MS when idle —, opens the path again and writes every
 * room into it, so nothing acknowledged before or after is lost at the next
 * restart. When another server took the path meanwhile, /health says the
 * store fails and why (crash tester's finding 3).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { type ServeProcess, kill9, startServe } from "../support/serve-process.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

const REWRITTEN = "the data file went away while the server ran; every room is written into a new one";

async function partyWithChat(t: TestContext, server: ServeProcess) {
  const ana = await TestClient.connect(t, server.url);
  const token = ana.all("client_hello")[0]!.payload.resume_token as string;
  ana.send("hello", { display_name: "Ana" });
  ana.send("create_room", { name: "Kept" }, "", { id: "c" });
  const roomId = (await ana.next("room_state", () => true, 15_000)).room;
  await ana.next("ack", (m) => m.payload.id === "c", 15_000);
  const say = async (text: string) => {
    ana.send("chat_message", { text }, roomId, { id: text });
    await ana.next("ack", (m) => m.payload.id === text, 15_000);
  };
  await say("before");
  return { ana, token, roomId, say };
}

async function chatAfterRestart(t: TestContext, server: ServeProcess, token: string): Promise<string[]> {
  const c = await TestClient.connect(t, server.url);
  c.send("resume", { resume_token: token }, "", { id: "r" });
  const state = await c.next("room_state", () => true, 15_000);
  return state.payload.chat.map((m: { text: string }) => m.text);
}

for (const [what, file] of [
  ["the data file", "rooms.db"],
  ["its write-ahead log", "rooms.db-wal"],
] as const) {
  test(`${what} deleted while running, then a write: every room is written into a new file and survives SIGKILL`, { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "osp-removed-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const args = ["--data-file", join(dir, "rooms.db")];
    let server = await startServe(t, args);
    const { token, say } = await partyWithChat(t, server);
    rmSync(join(dir, file));
    await say("after");
    await waitFor(() => server.logs.some((l) => l.msg === REWRITTEN), "the log line saying the rooms were written anew", 15_000);
    const health = await (await fetch(`${server.httpUrl}/health`)).json();
    assert.equal(health.store.ok, true, `the store writes again: ${JSON.stringify(health.store)}`);
    await kill9(server);
    server = await startServe(t, args);
    assert.deepEqual(await chatAfterRestart(t, server, token), ["before", "after"], "nothing acknowledged was lost");
  });
}

test("the data file deleted under an idle server: noticed without a write, and a clean stop keeps every room", { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-removed-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ["--data-file", join(dir, "rooms.db")];
  let server = await startServe(t, args);
  const { token } = await partyWithChat(t, server);
  rmSync(join(dir, "rooms.db"));
  await waitFor(() => server.logs.some((l) => l.msg === REWRITTEN), "the periodic check to notice", 20_000);
  server.child.kill("SIGTERM");
  assert.equal(await server.exited, 0);
  server = await startServe(t, args);
  assert.deepEqual(await chatAfterRestart(t, server, token), ["before"]);
});

test("the path taken by a second server after a delete: /health 503 naming why, the first server keeps serving, and takes the file back when it is free", { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-removed-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ["--data-file", join(dir, "rooms.db")];
  const first = await startServe(t, args);
  const { ana, say } = await partyWithChat(t, first);
  rmSync(join(dir, "rooms.db"));
  rmSync(join(dir, "rooms.db-wal"), { force: true });
  // The path is free: a second server takes it (and holds it exclusively).
  const second = await startServe(t, args);
  await say("while another holds the file");
  await waitFor(async () => (await fetch(`${first.httpUrl}/health`)).status === 503, "the first server's /health to turn 503", 20_000);
  const body = await (await fetch(`${first.httpUrl}/health`)).json();
  assert.match(body.store.reason, /rooms\.db was (deleted|replaced by another file)/);
  assert.match(body.store.reason, /another process holds it/);
  assert.equal(ana.closeCode, null, "the party goes on");
  assert.equal((await fetch(`${second.httpUrl}/health`)).status, 200);
  // Once the second server has gone, the retries open the file again and write every room into it.
  second.child.kill("SIGTERM");
  assert.equal(await second.exited, 0);
  await waitFor(async () => (await fetch(`${first.httpUrl}/health`)).status === 200, "the first server's store to write again", 20_000);
  assert.ok(first.logs.some((l) => l.msg === REWRITTEN));
});
