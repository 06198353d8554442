/**
 * Abuse limits refuse with their codes while a normal party keeps playing:
 * connections per address, rooms held per address, seats held by members
 * in their resume grace, deeply nested frames; and replies keep the order
 * of the frames even across refusals.
 */
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { test } from "node:test";
import WebSocket from "ws";
import { createRoom, joinRoom } from "../integration/helpers.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";
import type { PartyServer } from "../../src/server/index.js";
import { silentLogger } from "../../src/server/core/logger.js";

type T = Parameters<typeof startServer>[0];

/** A host and a guest in a playing room, and a check that they still agree on a new command. */
async function playingParty(t: T, server: PartyServer) {
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Host" });
  const roomId = await createRoom(host, "Normal party");
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  host.send("player_event", { action: "play", position: 5 }, roomId, { id: "p0" });
  await host.next("ack", (m) => m.payload.id === "p0", 15_000);
  await guest.next("player_event", (m) => m.payload.action === "play", 15_000);
  let n = 0;
  const stillInSync = async () => {
    const id = `s${++n}`;
    host.send("player_event", { action: "seek", position: 100 + n }, roomId, { id });
    const ack = await host.next("ack", (m) => m.payload.id === id, 15_000);
    const seen = await guest.next("player_event", (m) => m.payload.position === 100 + n, 15_000);
    assert.equal(seen.payload.target_server_ts, ack.payload.target_server_ts, "host and guest share the command's instant");
    assert.equal(host.closeCode, null);
    assert.equal(guest.closeCode, null);
  };
  return { host, guest, roomId, stillInSync };
}

test("connections per address: the one over the limit gets too_many_connections and 1008; other addresses still connect", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxConnectionsPerIp: 4 });
  const party = await playingParty(t, server);
  const extra = [await TestClient.connect(t, server.url), await TestClient.connect(t, server.url)];
  const over = await TestClient.connect(t, server.url, { awaitHello: false });
  const err = await over.error("too_many_connections", 15_000);
  assert.equal(err.payload.code, "too_many_connections");
  assert.equal(await over.waitClosed(15_000), 1008);
  assert.equal(over.all("client_hello").length, 0, "no session for the refused connection");
  const elsewhere = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
  assert.ok(elsewhere.clientId, "another address is not limited by this one");
  await party.stillInSync();
  extra[0]!.close();
  await waitFor(() => server.core.stats().connections === 4, "the closed connection to be gone", 15_000);
  const again = await TestClient.connect(t, server.url);
  assert.ok(again.clientId, "a freed slot takes a new connection");
});

test("connections per address: a dropped socket (no close frame) frees its slot, every time", { timeout: 60_000 }, async (t) => {
  // The address is uncounted when the WebSocket closes (the TCP socket's own listener is removed on accept):
  // a socket cut without a close handshake must free its slot like one closed politely.
  const server = await startServer(t, { maxConnectionsPerIp: 2 });
  const kept = await TestClient.connect(t, server.url);
  for (let round = 0; round < 3; round++) {
    const cut = await TestClient.connect(t, server.url);
    cut.drop();
    await waitFor(() => server.core.stats().connections === 1, `round ${round}: the dropped connection to be gone`, 15_000);
  }
  const last = await TestClient.connect(t, server.url);
  assert.ok(last.clientId, "the slot freed by the drops takes a new connection");
  const over = await TestClient.connect(t, server.url, { awaitHello: false });
  assert.equal((await over.error("too_many_connections", 15_000)).payload.code, "too_many_connections", "the limit still holds");
  assert.equal(kept.closeCode, null);
});

test("the total connection cap refuses with server_full", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxConnections: 3 });
  const party = await playingParty(t, server);
  await TestClient.connect(t, server.url);
  const over = await TestClient.connect(t, server.url, { awaitHello: false });
  await over.error("server_full", 15_000);
  assert.equal(await over.waitClosed(15_000), 1008);
  await party.stillInSync();
});

test("rooms held per address: create-and-drop stops at the limit with too_many_rooms_held", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxRoomsPerIp: 3 });
  const party = await playingParty(t, server); // holds one room
  for (let i = 0; i < 2; i++) {
    const c = await TestClient.connect(t, server.url);
    c.send("hello", { display_name: `Dropper ${i}` });
    await createRoom(c, `private ${i}`, 0, { private: true });
    c.drop(); // the room is held for the resume grace with nobody in it
  }
  await waitFor(() => server.core.stats().connections === 2, "the droppers to be gone", 15_000);
  const c = await TestClient.connect(t, server.url);
  c.send("create_room", { name: "one too many" }, "", { id: 1 });
  const err = await c.error("too_many_rooms_held", 15_000);
  assert.equal(err.payload.ref, 1);
  // Leaving cannot free rooms whose members dropped: the text says they count until the grace ends.
  assert.match(err.payload.message, /holds 3 open rooms/);
  assert.match(err.payload.message, /disconnected still counts until its 30 s resume grace ends/);
  assert.equal(server.core.stats().rooms, 3);
  const other = await TestClient.connect(t, server.url, { localAddress: "127.0.0.2" });
  await createRoom(other, "from elsewhere");
  await party.stillInSync();
});

test("members in their resume grace do not keep newcomers out of a full room; connected members do (room_full)", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxMembersPerRoom: 4 });
  const party = await playingParty(t, server);
  const ghosts: string[] = [];
  for (let i = 0; i < 2; i++) {
    const g = await TestClient.connect(t, server.url);
    g.send("hello", { display_name: `Ghost ${i}` });
    await joinRoom(g, party.roomId);
    ghosts.push(g.clientId);
    g.drop();
  }
  await party.host.next("participants_update", (m) => m.payload.participants.filter((p: { connected: boolean }) => !p.connected).length === 2, 15_000);
  for (let i = 0; i < 2; i++) {
    const n = await TestClient.connect(t, server.url);
    const state = await joinRoom(n, party.roomId);
    assert.equal(state.payload.participant_count, 4);
    const left = await party.guest.next("client_left", (m) => ghosts.includes(m.payload.client_id), 15_000);
    assert.equal(left.payload.reason, "expired");
  }
  const last = await TestClient.connect(t, server.url);
  last.send("join_room", {}, party.roomId, { id: "j" });
  const err = await last.error("room_full", 15_000);
  assert.equal(err.payload.ref, "j");
  await party.stillInSync();
});

test("deeply nested or value-heavy frames get json_too_complex before parsing; the connection lives", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const c = await TestClient.connect(t, server.url);
  c.sendRaw(`{"type":"ping","payload":${"[".repeat(30_000)}${"]".repeat(30_000)}}`);
  assert.match((await c.error("json_too_complex", 15_000)).payload.message, /nesting/);
  c.sendRaw(`{"type":"ping","payload":[${Array(5_000).fill(1).join(",")}]}`);
  assert.match((await c.error("json_too_complex", 15_000)).payload.message, /values/);
  // Brackets inside strings do not count.
  c.send("chat_message", { text: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" });
  await c.error("not_in_room", 15_000);
  await c.flush();
});

test("replies keep the order of the frames, also after binary, oversize and rate-limited frames", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { maxMessageBytes: 1024, messageBurst: 6, maxMessagesPerSecond: 1 });
  const c = await TestClient.connect(t, server.url);
  // hello is handled asynchronously: everything after it waits its turn.
  c.send("hello", { display_name: "Orderly" }, "", { id: "h" });
  c.sendRaw(Buffer.from("binary"), true);
  c.sendRaw(JSON.stringify({ type: "ping", payload: { client_ts: 1, pad: "x".repeat(2000) } }));
  c.send("ping", { client_ts: 2 });
  c.send("list_rooms", {}, "", { id: "l" });
  c.send("ping", { client_ts: 3 });
  c.send("ping", { client_ts: 4 }); // the 7th frame: over the burst of 6
  await c.error("rate_limited", 15_000);
  const got = c.messages
    .slice(2) // client_hello, room_list
    .map((m) => (m.type === "error" ? `error:${m.payload.code}` : m.type === "ack" ? `ack:${m.payload.id}` : m.type === "pong" ? `pong:${m.payload.client_ts}` : m.type));
  assert.deepEqual(got, ["ack:h", "error:binary_frame", "error:frame_too_large", "pong:2", "room_list", "ack:l", "pong:3", "error:rate_limited"]);
});

test("sockets that never become WebSockets (slow-loris: idle, half a request head, half an upgrade) are capped per address, so one address cannot take every slot; refusals log one line, not one per socket", { timeout: 60_000 }, async (t) => {
  const warnings: Array<{ obj: object; msg: string }> = [];
  const logger = { ...silentLogger, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg: msg ?? "" }) };
  const server = await startServer(t, { maxConnectionsPerIp: 4, logger });
  const party = await playingParty(t, server);
  const port = Number(new URL(server.httpUrl).port);
  // Fuzzer's finding: these were held (60–90 s, until Node's headersTimeout) without limit per address; 272 of them
  // from one address locked every user out of a server with 400 descriptors.
  const openings = ["", "GET / HTTP/1.1\r\nHost: x\r\n", "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"];
  const sockets: net.Socket[] = [];
  let closed = 0;
  for (let i = 0; i < 30; i++) {
    const s = net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.3" });
    s.on("error", () => {});
    s.on("close", () => closed++);
    s.on("connect", () => s.write(openings[i % openings.length]!));
    sockets.push(s);
  }
  t.after(() => {
    for (const s of sockets) s.destroy();
  });
  // Each address may hold twice maxConnectionsPerIp sockets in all (WebSockets and the rest); the others are closed at accept.
  await waitFor(() => closed >= 30 - 8, "the sockets over the per-address cap to be closed", 30_000);
  assert.equal(closed, 30 - 8, "exactly the cap stays open");
  const refusals = warnings.filter((w) => /refused/.test(w.msg));
  assert.ok(refusals.length >= 1 && refusals.length <= 2, `one line for the flood, not one per socket: ${refusals.length}`);
  // Everyone else is served: a new member from another address joins the playing room and follows it.
  const late = await TestClient.connect(t, server.url, { localAddress: "127.0.0.4" });
  late.send("join_room", {}, party.roomId);
  await late.next("room_state", () => true, 15_000);
  await party.stillInSync();
  // The address is served again once it lets its sockets go.
  for (const s of sockets) s.destroy();
  const healthFrom = (localAddress: string) =>
    new Promise<number | null>((resolve) => {
      http.get({ host: "127.0.0.1", port, path: "/health", localAddress }, (res) => resolve(res.resume().statusCode ?? null)).on("error", () => resolve(null));
    });
  await waitFor(async () => (await healthFrom("127.0.0.3")) === 200, "/health from the flooding address after it let go", 15_000);
});

test("a page from a refused origin reconnecting in a loop gets 403 every time and one log line, not one per try", { timeout: 60_000 }, async (t) => {
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (_obj: object, msg?: string) => void warnings.push(msg ?? "") };
  const server = await startServer(t, { allowedOrigins: ["https://party.example"], logger });
  for (let i = 0; i < 5; i++) {
    const ws = new WebSocket(server.url, { headers: { Origin: "https://evil.example" } });
    const status = await new Promise<number | null>((resolve) => {
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? null));
      ws.once("error", () => resolve(null));
    });
    assert.equal(status, 403);
  }
  assert.deepEqual(warnings, ["upgrade refused: origin not allowed"]);
  const ok = await TestClient.connect(t, server.url, { headers: { Origin: "https://party.example" } });
  assert.ok(ok.clientId);
});
