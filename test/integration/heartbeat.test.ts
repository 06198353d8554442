/**
 * WebSocket heartbeats (WsGateway): every peer is pinged once per
 * heartbeatIntervalMs — with the next frame it is sent when one comes soon
 * (one write), alone otherwise — and a peer that does not answer by its
 * next due time is dropped. Real sockets on a real server, a short interval.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import WebSocket from "ws";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

const INTERVAL_MS = 400;

interface Peer {
  ws: WebSocket;
  pings: number[];
  messages: string[];
  room: string;
  closed: number | null;
}

async function open(url: string, t: { after(fn: () => void): void }, autoPong = true): Promise<Peer> {
  const ws = new WebSocket(url, { autoPong });
  t.after(() => ws.terminate());
  const peer: Peer = { ws, pings: [], messages: [], room: "", closed: null };
  ws.on("ping", () => peer.pings.push(performance.now()));
  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; room: string };
    peer.messages.push(msg.type);
    if (msg.type === "room_state") peer.room = msg.room;
  });
  ws.on("close", (code) => {
    peer.closed = code;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return peer;
}

const send = (ws: WebSocket, type: string, payload: unknown, room = "") =>
  ws.send(JSON.stringify({ type, room, client: "", payload, ts: Date.now() }));

test("a peer sent frames and a silent peer are both pinged every interval and stay", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { heartbeatIntervalMs: INTERVAL_MS });
  const host = await open(server.url, t);
  send(host.ws, "create_room", { name: "Beat", start_pos: 0 });
  await waitFor(() => host.messages.includes("room_state"), "the host's room_state", 10_000);
  const guest = await open(server.url, t);
  const roomId = host.room;
  send(guest.ws, "join_room", {}, roomId);
  await waitFor(() => guest.messages.includes("room_state"), "the guest's room_state", 10_000);
  const lonely = await open(server.url, t); // in no room: hardly any frame goes to it
  const start = performance.now();
  // The guest gets a chat line every 50 ms: its pings can ride along with them.
  const chat = setInterval(() => send(host.ws, "chat_message", { text: "x" }, roomId), 50);
  t.after(() => clearInterval(chat));
  await waitFor(() => performance.now() - start > INTERVAL_MS * 6, "six intervals", 20_000);
  clearInterval(chat);
  for (const [name, p] of [
    ["guest", guest],
    ["lonely", lonely],
  ] as const) {
    const during = p.pings.filter((at) => at >= start).length;
    assert.ok(during >= 3 && during <= 9, `${name}: ${during} pings in six intervals (one per interval)`);
    assert.equal(p.closed, null, `${name} is still connected`);
  }
  assert.ok(guest.messages.filter((m) => m === "chat_message").length > 20, "the guest got the chat lines");
});

test("a peer that stops answering pings is dropped within two intervals", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { heartbeatIntervalMs: INTERVAL_MS });
  const mute = await open(server.url, t, false);
  const start = performance.now();
  await waitFor(() => mute.closed !== null, "the silent peer to be dropped", 10_000);
  const tookMs = performance.now() - start;
  // Due at a random phase within the first interval, dropped at the next due time: two intervals at most
  // (the slack is for a busy machine's late timers, not part of the rule).
  assert.ok(tookMs < INTERVAL_MS * 2 + 1500, `dropped after ${Math.round(tookMs)} ms`);
  assert.ok(mute.pings.length >= 1, "it was pinged");
});
