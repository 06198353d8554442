/**
 * Room passwords cannot be guessed at machine speed: an address gets a few
 * wrong tries, then join_room with a password is refused with `rate_limited`
 * and `retry_after_ms` (whatever the password, from any of its sockets)
 * until a try comes back; another address is not affected, and the right
 * password then opens the room.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PASSWORD_GUESS_BURST } from "../../src/server/core/room-password.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

test("wrong room passwords are throttled per address; the right one works once a try is back", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Hana" });
  host.send("create_room", { name: "Secret", start_pos: 0, password: "7391" });
  const { room } = await host.next("room_state");

  const guesser = await TestClient.connect(t, server.url);
  for (let i = 0; i < PASSWORD_GUESS_BURST; i++) {
    guesser.send("join_room", { password: String(1000 + i) }, room, { id: `g${i}` });
    assert.equal((await guesser.error("wrong_password")).payload.ref, `g${i}`);
  }
  guesser.send("join_room", { password: "7391" }, room, { id: "right-too-soon" });
  const limited = await guesser.error("rate_limited");
  assert.equal(limited.payload.ref, "right-too-soon");
  assert.ok(limited.payload.retry_after_ms > 0, "says when to try again");
  assert.ok(!server.core.hub.rooms.get(room)!.members.has(guesser.clientId), "not let in while throttled");

  // Another socket from the same address is throttled too (a new connection is not a new set of tries).
  const second = await TestClient.connect(t, server.url);
  second.send("join_room", { password: "0000" }, room, { id: "s" });
  assert.equal((await second.error("rate_limited")).payload.ref, "s");

  // Once a try is back, the right password opens the room.
  await new Promise((r) => setTimeout(r, limited.payload.retry_after_ms + 50));
  guesser.send("join_room", { password: "7391" }, room, { id: "right" });
  await guesser.next("ack", (m) => m.payload.id === "right", 10_000);
  assert.ok(server.core.hub.rooms.get(room)!.members.has(guesser.clientId));
});
