import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness } from "../../support/core-harness.js";

test("chat is broadcast to the room and a joiner receives only the last chatHistoryLength lines", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ chatHistoryLength: 3 });
  const { host, roomId } = h.createRoom();
  const b = h.join(roomId);
  for (let i = 1; i <= 5; i++) host.send("chat_message", { text: `line ${i}` }, roomId);
  assert.equal(b.all("chat_message").length, 5);
  assert.equal(b.last("chat_message").payload.client_id, host.id);
  const late = h.join(roomId);
  const chat = late.last("room_state").payload.chat as Array<{ text: string }>;
  assert.deepEqual(
    chat.map((c) => c.text),
    ["line 3", "line 4", "line 5"],
  );
});

test("chat over maxChatLength is refused; outside a room is not_in_room", { timeout: 30_000 }, () => {
  const h = new CoreHarness({ maxChatLength: 10 });
  const { host, roomId } = h.createRoom();
  host.send("chat_message", { text: "x".repeat(11) }, roomId);
  assert.equal(host.last("error").payload.code, "invalid_payload");
  const lobby = h.connect();
  lobby.send("chat_message", { text: "hi" });
  assert.equal(lobby.last("error").payload.code, "not_in_room");
});
