/** The script finds the party server from its own src (reverse proxy, HTTPS, any port), unless told otherwise. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { toWsUrl, wsUrlFromScriptSrc } from "../../src/web/jellyfin/config.js";

test("the party WebSocket URL follows the script's own src", { timeout: 120_000 }, () => {
  assert.equal(wsUrlFromScriptSrc("https://party.example.com/jellyfin.js"), "wss://party.example.com/ws");
  assert.equal(wsUrlFromScriptSrc("http://10.0.0.5:3001/jellyfin.js?v=2"), "ws://10.0.0.5:3001/ws");
  assert.equal(wsUrlFromScriptSrc("https://jf.example.com/party/jellyfin.js"), "wss://jf.example.com/party/ws");
});

test("an explicit server wins and may be given as http(s) or ws(s)", { timeout: 120_000 }, () => {
  const page = "https://jf.example.com/web/index.html";
  assert.equal(toWsUrl("wss://other.example/sync/ws", page), "wss://other.example/sync/ws");
  assert.equal(toWsUrl("https://other.example", page), "wss://other.example/ws");
  assert.equal(toWsUrl("http://other.example:8080/", page), "ws://other.example:8080/ws");
  assert.equal(toWsUrl("/ws", page), "wss://jf.example.com/ws");
});
