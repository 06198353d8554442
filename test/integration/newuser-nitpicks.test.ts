/** New-user nitpicks: a plain GET of /ws, and invalid_message text that says what is wrong. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

test("a plain GET of the WebSocket path is 426 Upgrade Required saying it is the WebSocket endpoint", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { wsPath: "/party-ws" });
  for (const path of ["/party-ws", "/party-ws?x=1"]) {
    const res = await fetch(`${server.httpUrl}${path}`);
    assert.equal(res.status, 426, path);
    assert.equal(res.headers.get("upgrade"), "websocket");
    assert.match(await res.text(), /OpenSyncParty WebSocket endpoint/);
  }
  assert.equal((await fetch(`${server.httpUrl}/nope`)).status, 404, "other paths are still 404");
  const head = await fetch(`${server.httpUrl}/party-ws`, { method: "HEAD" });
  assert.equal(head.status, 426);
});

test("invalid_message says which envelope field is wrong, not always 'not an object with a string type'", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  const cases: Array<[string, RegExp]> = [
    ['{"type":"ping","room":5,"payload":{"client_ts":1}}', /invalid: room: /],
    [`{"type":"ping","room":"${"r".repeat(65)}","payload":{"client_ts":1}}`, /invalid: room: .*64/],
    ['{"type":"ping","room":"","id":{"a":1},"payload":{"client_ts":1}}', /invalid: id: /],
    ["[1,2,3]", /invalid: \(root\): /],
    ['{"type":42}', /invalid: type: /],
  ];
  for (const [raw, expected] of cases) {
    c.sendRaw(raw);
    const err = await c.error("invalid_message", 10_000);
    assert.match(String(err.payload.message), expected, raw);
    assert.doesNotMatch(String(err.payload.message), /not an object with a string/);
  }
});

test("an invalid envelope whose id is itself valid gets its error with that ref; an unusable id gets none", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  const cases: Array<[Record<string, unknown>, string | number | undefined]> = [
    [{ type: "chat_message", room: 5, payload: { text: "hi" }, id: "a1" }, "a1"],
    [{ type: "list_rooms", room: "", ts: "now", id: 7 }, 7],
    [{ type: "list_rooms", room: "", client: {}, id: "a3" }, "a3"],
    [{ type: "x".repeat(65), room: "", id: "a4" }, "a4"],
    [{ type: "list_rooms", room: 5, id: "i".repeat(65) }, undefined],
    [{ type: "list_rooms", room: 5, id: { a: 1 } }, undefined],
  ];
  for (const [msg, ref] of cases) {
    c.sendRaw(JSON.stringify(msg));
    const err = await c.error("invalid_message", 10_000);
    assert.equal(err.payload.ref, ref, JSON.stringify(msg).slice(0, 80));
  }
});
