/**
 * Text a member sends that others see or that the server uses as sent — the
 * media's title, id and URL, a room password — cannot carry controls,
 * reordering characters or unpaired surrogates to other members: the title
 * is cleaned like a name, the rest is refused with `invalid_payload` and
 * `ref`, and the room plays on for everyone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

test("a hostile media title reaches the lobby and the room cleaned; a hostile media id, URL or password is refused with ref while the room plays on", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const lobby = await TestClient.connect(t, server.url);
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Hostile text", 0, { media_title: "\u202Egnp.exe\u0000" });
  const listed = await lobby.next("room_list", (m) => m.payload.some((r: { id: string }) => r.id === roomId), 15_000);
  assert.equal(listed.payload.find((r: { id: string }) => r.id === roomId).media_title, "gnp.exe");
  const guest = await TestClient.connect(t, server.url);
  const joined = await joinRoom(guest, roomId);
  assert.equal(joined.payload.media_title, "gnp.exe");

  host.send("room_settings", { media_title: "Film\u2066\u200B two " }, roomId, { id: 1 });
  await host.next("ack", (m) => m.payload.id === 1, 15_000);
  assert.equal((await guest.next("room_settings", () => true, 15_000)).payload.media_title, "Film two");

  const refused: Array<[string, Record<string, unknown>]> = [
    ["room_settings", { media_id: "item\uD800" }],
    ["room_settings", { media_url: "http://example.com/a\n.mp4" }],
    ["room_settings", { media_title: "Film\uDC00" }],
    ["create_room", { name: "Other", password: "pw\uD800" }],
  ];
  let id = 10;
  for (const [type, payload] of refused) {
    host.send(type, payload, roomId, { id: ++id });
    const err = await host.next("error", (m) => m.payload.ref === id, 15_000);
    assert.equal(err.payload.code, "invalid_payload", `${type} ${JSON.stringify(payload)}`);
  }
  // Nothing reached the guest, and the room still plays for it.
  host.send("player_event", { action: "play", position: 5 }, roomId, { id: 99 });
  await host.next("ack", (m) => m.payload.id === 99, 15_000);
  await guest.next("player_event", (m) => m.payload.action === "play", 15_000);
  assert.equal(guest.all("room_settings").length, 1, "only the one good change was announced");
});

test("a chat line loses its control characters but keeps its line breaks and tabs; one of controls only is refused with ref", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Chat controls");
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  host.send("chat_message", { text: `a\u0001\u0007b\r\nc\td\u001b[2J\u0085${"\u0000".repeat(900)}` }, roomId, { id: "c1" });
  await host.next("ack", (m) => m.payload.id === "c1", 15_000);
  const seen = await guest.next("chat_message", () => true, 15_000);
  assert.equal(seen.payload.text, "ab\nc\td[2J", "controls other than \\n and \\t are removed");
  host.send("chat_message", { text: "\u0001\u0002\u0003" }, roomId, { id: "c2" });
  const refused = await host.error("invalid_payload");
  assert.equal(refused.payload.ref, "c2");
  // The history a newcomer gets holds the cleaned line: its room_state is not six times the chat's size.
  const late = await TestClient.connect(t, server.url);
  const state = await joinRoom(late, roomId);
  assert.deepEqual(
    state.payload.chat.map((l: { text: string }) => l.text),
    ["ab\nc\td[2J"],
  );
});
