/**
 * PartyConnection.connect() always settles, and a handshake that gets no
 * answer does not leave the connection waiting on that socket for ever:
 * a real server, reached through a relay that loses the first socket's
 * `hello` (a lossy link), and URLs that cannot be opened.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import { PartyConnection } from "../../src/client/connection.js";
import { PartyError } from "../../src/client/errors.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startServer } from "../support/server.js";

/** A ws relay in front of `target` that drops the first `hello` frame of the first `lossy` sockets. */
async function lossyRelay(t: { after(fn: () => void): void }, target: string, lossy: number) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  let sockets = 0;
  wss.on("connection", (down) => {
    const loses = sockets++ < lossy;
    let lostHello = false;
    const up = new WebSocket(target);
    const early: string[] = [];
    up.on("open", () => {
      for (const f of early.splice(0)) up.send(f);
    });
    up.on("message", (data) => down.send(String(data)));
    up.on("close", () => down.close());
    down.on("message", (data) => {
      const text = String(data);
      if (loses && !lostHello && JSON.parse(text).type === "hello") {
        lostHello = true;
        return;
      }
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else early.push(text);
    });
    down.on("close", () => up.close());
  });
  t.after(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws`, sockets: () => sockets };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not settled after ${ms} ms`)), ms))]);

test("a hello lost on the way: the connection drops that socket after requestTimeoutMs and gets its session on the next", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t);
  const relay = await lossyRelay(t, server.url, 1);
  const conn = new PartyConnection({
    url: relay.url,
    displayName: "Lossy",
    createSocket: nodeWebSocket,
    requestTimeoutMs: 500,
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  t.after(() => conn.close());
  const states: string[] = [];
  conn.on("state", ({ state }) => states.push(state));
  await within(conn.connect(), 15_000, "connect() through a link that lost the first hello");
  assert.equal(conn.state, "open");
  assert.equal(relay.sockets(), 2, "one socket lost its hello, the second got the session");
  assert.deepEqual(states.slice(0, 2), ["connecting", "reconnecting"]);
  assert.ok(server.core.hub.sessions.has(conn.clientId), "the session is on the server");
});

test("connect() rejects with a coded error when the URL cannot be opened, when already closed, and when closed while connecting", { timeout: 15_000 }, async (t) => {
  const bad = new PartyConnection({ url: "not a url", createSocket: nodeWebSocket });
  await assert.rejects(within(bad.connect(), 5_000, "connect() to a URL ws cannot open"), (e: unknown) => e instanceof PartyError && e.code === "closed");
  assert.equal(bad.state, "closed");
  await assert.rejects(within(bad.connect(), 5_000, "connect() on a closed connection"), (e: unknown) => e instanceof PartyError && e.code === "closed");

  const server = await startServer(t);
  const conn = new PartyConnection({ url: server.url, createSocket: nodeWebSocket });
  const pending = conn.connect();
  conn.close();
  await assert.rejects(within(pending, 5_000, "connect() closed while connecting"), (e: unknown) => e instanceof PartyError && e.code === "closed");
});
