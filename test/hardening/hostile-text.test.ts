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
