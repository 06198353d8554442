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

test("a line sent again under its nonce is acked and shown once, even with the history off; other members' nonces are theirs", { timeout: 30_000 }, () => {
  for (const chatHistoryLength of [50, 0]) {
    const h = new CoreHarness({ chatHistoryLength });
    const { host, roomId } = h.createRoom();
    const b = h.join(roomId);
    host.send("chat_message", { text: "hello", nonce: "n-1" }, roomId, { id: "r1" });
    host.send("chat_message", { text: "hello", nonce: "n-1" }, roomId, { id: "r2" });
    const acks = host.all("ack").map((f) => f.payload.id);
    assert.ok(acks.includes("r1") && acks.includes("r2"), `both sends acked (history ${chatHistoryLength}): ${acks.join(", ")}`);
    assert.deepEqual(
      b.all("chat_message").map((f) => [f.payload.text, f.payload.nonce]),
      [["hello", "n-1"]],
      `one line shown (history ${chatHistoryLength})`,
    );
    // The same nonce from another member is another line; a line without a nonce is never deduplicated.
    b.send("chat_message", { text: "hello", nonce: "n-1" }, roomId, { id: "r3" });
    host.send("chat_message", { text: "plain" }, roomId);
    host.send("chat_message", { text: "plain" }, roomId);
    const lines = host.all("chat_message").map((f) => `${f.payload.client_id === host.id ? "host" : "b"}:${f.payload.text}`);
    assert.deepEqual(lines, ["host:hello", "b:hello", "host:plain", "host:plain"]);
    assert.equal("nonce" in host.all("chat_message")[2]!.payload, false, "a line without a nonce has none");
  }
});

test("chat nonces: malformed ones are refused with invalid_payload and nothing is shown", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const { host, roomId } = h.createRoom();
  for (const nonce of ["", "x".repeat(65), "has space", "é", 7, null, ["a"]]) {
    host.send("chat_message", { text: "hi", nonce }, roomId, { id: "bad" });
    assert.equal(host.last("error").payload.code, "invalid_payload", `nonce ${JSON.stringify(nonce)}`);
  }
  assert.equal(host.all("chat_message").length, 0);
});

test("the room remembers each member's last 64 nonces: older ones may show again, and another member's flood forgets none of them", { timeout: 30_000 }, () => {
  const h = new CoreHarness();
  const { host, roomId } = h.createRoom();
  const flooder = h.join(roomId);
  const say = (who: typeof host, text: string, nonce: string) => {
    h.clock.advance(1000); // within the chat rate limit
    who.send("chat_message", { text, nonce }, roomId);
  };
  say(host, "important", "keep");
  for (let i = 0; i < 300; i++) say(flooder, `f${i}`, `f${i}`);
  say(host, "important", "keep");
  assert.equal(host.all("chat_message").filter((f) => f.payload.text === "important").length, 1, "another member's 300 lines did not push out the host's nonce");
  for (let i = 0; i < 64; i++) say(host, `l${i}`, `n${i}`);
  const shown = () => host.all("chat_message").length;
  const before = shown();
  say(host, "l63", "n63");
  say(host, "l1", "n1");
  assert.equal(shown(), before, "the member's recent nonces are still taken once");
  say(host, "important", "keep");
  assert.equal(host.all("error").length, 0, "nothing refused");
  assert.equal(shown(), before + 1, "its 65th-newest was forgotten");
});
