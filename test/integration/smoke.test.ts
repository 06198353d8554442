import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

test("a client gets client_hello then a pushed room_list, and /health answers JSON", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  assert.match(c.clientId, /^c_/);
  const list = await c.next("room_list");
  assert.deepEqual(list.payload, []);
  const res = await fetch(`${server.httpUrl}/health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; connections: number };
  assert.equal(body.status, "ok");
  assert.equal(body.connections, 1);
});
