/**
 * In Jellyfin-auth mode a socket that has not signed in learns nothing
 * about rooms: no pushed `room_list`, no answer to `list_rooms`, no way in
 * by id, while signed-in members create, rename and fill rooms beside it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

const ROOM_DATA = new Set(["room_list", "room_state", "participants_update", "chat_message", "player_event", "state_update", "room_settings"]);

test("an unauthenticated socket in auth mode gets no room data, pushed or asked for", { timeout: 60_000 }, async (t) => {
  const jf = await startStandIn(t);
  const server = await startServer(t, { jellyfinUrl: jf.url, roomListPushDelayMs: 0 });
  const anon = await TestClient.connect(t, server.url);
  const hello = anon.all("client_hello")[0]!;
  assert.equal(hello.payload.auth_required, true);

  const alice = await TestClient.connect(t, `${server.url}?token=token-alice`);
  const lobby = await TestClient.connect(t, `${server.url}?token=token-joinonly`);
  alice.send("create_room", { name: "Secret Party" });
  const roomId = (await alice.next("room_state", () => true, 15_000)).room;
  // The signed-in lobby member sees the room pushed: so the push happened.
  await lobby.next("room_list", (m) => JSON.stringify(m.payload).includes(roomId), 15_000);
  alice.send("room_settings", { name: "Secret Party II" }, roomId);
  await lobby.next("room_list", (m) => JSON.stringify(m.payload).includes("Secret Party II"), 15_000);

  anon.send("list_rooms", {});
  await anon.error("auth_required", 15_000);
  anon.send("join_room", {}, roomId);
  await anon.error("auth_required", 15_000);
  anon.send("hello", { token: "not-a-token" });
  await anon.error("auth_failed", 15_000);
  anon.send("create_room", { name: "x" });
  await anon.error("auth_required", 15_000);
  await anon.flush();

  const leaked = anon.messages.filter((m) => ROOM_DATA.has(m.type));
  assert.deepEqual(leaked.map((m) => m.type), [], "no room messages reached the anonymous socket");
  // An error echoes the room the client itself named in its envelope; nothing else may carry the id.
  const text = JSON.stringify(anon.messages.map((m) => (m.type === "error" ? { ...m, room: "" } : m)));
  assert.ok(!text.includes(roomId) && !text.includes("Secret Party"), `neither the room id nor its name leaked: ${text}`);
});
