/**
 * Durable before handed out: a room id, a resume token (first and rotated),
 * an acknowledged timeline command and a chat line each survive a SIGKILL
 * of the real `serve` process 50 ms after the client was told about them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { kill9, startServe } from "../support/serve-process.js";
import { TestClient } from "../support/ws-client.js";

test("everything acknowledged 50 ms before SIGKILL survives the restart", { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-crash-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ["--data-file", join(dir, "rooms.db")];
  /** Connects to a fresh server process and resumes with `token`; returns the client and its room_state. */
  const resumeOn = async (url: string, token: string) => {
    const c = await TestClient.connect(t, url);
    c.send("resume", { resume_token: token }, "", { id: "r" });
    const resumed = await c.next("resumed", () => true, 15_000);
    const state = await c.next("room_state", () => true, 15_000);
    await c.next("ack", (m) => m.payload.id === "r", 15_000);
    return { c, token: resumed.payload.resume_token as string, resumed, state };
  };

  // 1. A room id and the creator's first resume token.
  let server = await startServe(t, args);
  const ana = await TestClient.connect(t, server.url);
  let anaToken = ana.all("client_hello")[0]!.payload.resume_token as string;
  ana.send("hello", { display_name: "Ana" });
  ana.send("create_room", { name: "Crash test" }, "", { id: 1 });
  const roomId = (await ana.next("room_state", () => true, 15_000)).room;
  await ana.next("ack", (m) => m.payload.id === 1, 15_000);
  await sleep(50);
  await kill9(server);

  // 2. After the restart Ana resumes into it; the rotated token she was just given must survive the next kill.
  server = await startServe(t, args);
  let r = await resumeOn(server.url, anaToken);
  assert.equal(r.resumed.payload.room, roomId, "the room id survived");
  anaToken = r.token;
  await sleep(50);
  await kill9(server);

  // 3. A guest joins (its token now matters), Ana plays: both acknowledged, then killed.
  server = await startServe(t, args);
  r = await resumeOn(server.url, anaToken);
  anaToken = r.token;
  const ben = await TestClient.connect(t, server.url);
  const benToken = ben.all("client_hello")[0]!.payload.resume_token as string;
  ben.send("hello", { display_name: "Ben" });
  ben.send("join_room", {}, roomId, { id: 2 });
  await ben.next("ack", (m) => m.payload.id === 2, 15_000);
  r.c.send("player_event", { action: "seek", position: 123 }, roomId, { id: 3 });
  const seek = await r.c.next("ack", (m) => m.payload.id === 3, 15_000);
  await sleep(50);
  await kill9(server);

  // 4. Both resume; the seek is the room's timeline. Then a chat line, killed 50 ms after its ack.
  server = await startServe(t, args);
  r = await resumeOn(server.url, anaToken);
  anaToken = r.token;
  const b = await resumeOn(server.url, benToken);
  assert.equal(b.resumed.payload.room, roomId, "the guest's token survived");
  assert.equal(r.state.payload.timeline.position, 123, "the acknowledged seek survived");
  assert.equal(r.state.payload.timeline.anchor_server_ts, seek.payload.target_server_ts);
  b.c.send("chat_message", { text: "said just before the crash" }, roomId, { id: 4 });
  await b.c.next("ack", (m) => m.payload.id === 4, 15_000);
  await sleep(50);
  await kill9(server);

  server = await startServe(t, args);
  r = await resumeOn(server.url, anaToken);
  assert.deepEqual(
    r.state.payload.chat.map((c: { text: string }) => c.text),
    ["said just before the crash"],
    "the acknowledged chat line survived",
  );
  assert.equal(r.state.payload.host_id, r.resumed.payload.client_id, "Ana is still the host");
});
