/**
 * No HTTP request can stop the server: a sweep of malformed targets, bad
 * percent-encodings, odd methods, huge headers and broken upgrades against
 * every route each gets a 4xx, while a party keeps playing in sync.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { rawRequest } from "../support/raw-http.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

const ROUTES = ["/", "/health", "/metrics", "/ws", "/jellyfin.js", "/standalone/index.html", "/nope"];
const BAD_SUFFIXES = ["%", "%z", "%zz", "%C0%AF", "%ED%A0%80", "%FF", "%00", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fpackage.json"];
const get = (target: string, headers = "") => `GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;
const upgrade = (target: string, extra = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n") =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`;

function hostileRequests(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const route of ROUTES) {
    for (const bad of BAD_SUFFIXES) {
      out.push([`GET ${route}${bad}`, get(route + bad)]);
      out.push([`upgrade ${route}${bad}`, upgrade(route + bad)]);
    }
    out.push([`POST ${route}`, `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`]);
    out.push([`DELETE ${route}`, `DELETE ${route} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
    out.push([`huge header ${route}`, get(route, `X-Big: ${"a".repeat(64 * 1024)}\r\n`)]);
    out.push([`upgrade without key ${route}`, upgrade(route, "Sec-WebSocket-Version: 13\r\n")]);
    out.push([`upgrade bad version ${route}`, upgrade(route, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n")]);
    out.push([`upgrade h2c ${route}`, `GET ${route} HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n`]);
  }
  out.push(["absolute-form target", get("http://[::1")]);
  out.push(["authority-form GET", get("//evil.example/%")]);
  out.push(["asterisk target", get("*")]);
  out.push(["CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n"]);
  out.push(["bad method token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n"]);
  out.push(["bad HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n"]);
  out.push(["header with control byte", get("/health", "X-Bad: a\u0001b\r\n")]);
  out.push(["header without colon", get("/health", "NoColonHere\r\n")]);
  out.push(["NUL in target", get("/\u0000")]);
  out.push(["space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"]);
  return out;
}

test("every hostile request gets a 4xx and a playing room stays in sync", { timeout: 120_000 }, async (t) => {
  const server = await startServer(t);
  const port = Number(new URL(server.httpUrl).port);
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host, "Under attack", 0);
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  host.send("player_event", { action: "play", position: 10 }, roomId, { id: 1 });
  await host.next("ack", (m) => m.payload.id === 1, 15_000);
  await guest.next("player_event", (m) => m.payload.action === "play", 15_000);

  const failures: string[] = [];
  for (const [name, text] of hostileRequests()) {
    const { status, head } = await rawRequest(port, text, 15_000);
    if (status === null || status < 400 || status > 499) failures.push(`${name}: ${status ?? "no status"} ${head.split("\r\n")[0] ?? ""}`);
  }
  assert.deepEqual(failures, [], "every hostile request answered with a 4xx");

  // The server is still up, and the room still plays in step for both members.
  const health = await fetch(`${server.httpUrl}/health`);
  assert.equal(health.status, 200);
  host.send("player_event", { action: "pause", position: 20 }, roomId, { id: 2 });
  const ack = await host.next("ack", (m) => m.payload.id === 2, 15_000);
  const seen = await guest.next("player_event", (m) => m.payload.action === "pause", 15_000);
  assert.equal(seen.payload.target_server_ts, ack.payload.target_server_ts, "both members hold the same pause instant");
  assert.equal(host.closeCode, null);
  assert.equal(guest.closeCode, null);
});
