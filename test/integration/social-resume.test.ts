import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";
import { count, joinRoom, party } from "./helpers.js";

test("chat reaches the room and joiners get the history", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  host.send("chat_message", { text: "hello" }, roomId);
  guests[0]!.send("chat_message", { text: "hi!" }, roomId);
  const got = await guests[0]!.next("chat_message", (m) => m.payload.text === "hi!");
  assert.equal(got.payload.client_id, guests[0]!.clientId);
  await host.next("chat_message", (m) => m.payload.text === "hi!");
  const late = await TestClient.connect(t, server.url);
  const st = await joinRoom(late, roomId);
  assert.deepEqual(
    st.payload.chat.map((c: { text: string }) => c.text),
    ["hello", "hi!"],
  );
});

test("an extended client that drops keeps its id, room and host role when it resumes", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  const g = guests[0]!;
  host.send("hello", { display_name: "Host" });
  await host.flush();
  const token = host.all("client_hello")[0]!.payload.resume_token as string;
  host.drop();
  const shown = await g.next("participants_update", (m) =>
    m.payload.participants.some((p: { id: string; connected: boolean }) => p.id === host.clientId && !p.connected),
  );
  assert.equal(shown.payload.participant_count, 2, "still a member during the grace");
  const again = await TestClient.connect(t, server.url);
  again.send("resume", { resume_token: token });
  const resumed = await again.next("resumed");
  assert.equal(resumed.payload.client_id, host.clientId);
  assert.equal(resumed.payload.room, roomId);
  const st = await again.next("room_state");
  assert.equal(st.payload.host_id, host.clientId);
  assert.equal(st.payload.you, host.clientId);
  again.send("player_event", { action: "play", position: 5 }, roomId);
  const ev = await g.next("player_event");
  assert.equal(ev.client, host.clientId, "acts as the host again");
  assert.equal(g.all("host_changed").length, 0);
});

test("a seed client (no hello) that disconnects is removed at once", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const { host, roomId, guests } = await party(t, server, 1);
  guests[0]!.drop();
  await host.next("participants_update", count(1));
  const left = host.all("client_left").at(-1);
  assert.deepEqual(left?.payload, { client_id: guests[0]!.clientId, reason: "disconnected" });
  assert.equal(server.core.hub.rooms.get(roomId)!.members.size, 1);
});

test("resume with a bad token fails and the connection stays usable", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  c.send("resume", { resume_token: "not-a-token" });
  await c.error("resume_failed");
  await c.flush();
});
