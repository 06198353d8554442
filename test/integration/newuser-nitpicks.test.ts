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
