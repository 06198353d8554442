/**
 * Every bad-input class over a real socket: the sender gets `error` with a
 * stable code, its connection keeps working, and another member of the
 * same room is unaffected.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import type { CreateServerOptions } from "../../src/server/index.js";
import { clusterRedisUrl } from "../support/cluster-server.js";
import { FakeClock } from "../support/fake-clock.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";
import { party } from "../integration/helpers.js";

type Sender = (c: TestClient, roomId: string, otherRoomId: string) => void;

const env = (type: string, payload: unknown, room = "") => JSON.stringify({ type, room, payload, ts: Date.now() });

const cases: Array<{ name: string; code: string; inRoom: boolean; send: Sender }> = [
  { name: "non-JSON text", code: "bad_json", inRoom: true, send: (c) => c.sendRaw("{not json") },
  { name: "binary frame", code: "binary_frame", inRoom: true, send: (c) => c.sendRaw(Buffer.from(env("ping", { client_ts: 1 })), true) },
  { name: "a JSON value that is not an envelope", code: "invalid_message", inRoom: true, send: (c) => c.sendRaw("[1,2,3]") },
  { name: "type is not a string", code: "invalid_message", inRoom: true, send: (c) => c.sendRaw('{"type":42,"room":"","payload":{}}') },
  { name: "room is not a string", code: "invalid_message", inRoom: true, send: (c) => c.sendRaw('{"type":"ping","room":5,"payload":{"client_ts":1}}') },
  { name: "unknown type", code: "unknown_type", inRoom: true, send: (c) => c.send("teleport", {}) },
  { name: "missing field (create_room without name)", code: "invalid_payload", inRoom: false, send: (c) => c.send("create_room", { start_pos: 0 }) },
  { name: "missing payload (ping)", code: "invalid_payload", inRoom: true, send: (c) => c.sendRaw('{"type":"ping","room":""}') },
  { name: "wrong field type (position as string)", code: "invalid_payload", inRoom: true, send: (c, r) => c.send("player_event", { action: "play", position: "10" }, r) },
  { name: "unknown action", code: "invalid_payload", inRoom: true, send: (c, r) => c.send("player_event", { action: "rewind", position: 1 }, r) },
  { name: "+Infinity position (1e400)", code: "invalid_payload", inRoom: true, send: (c, r) => c.sendRaw(`{"type":"player_event","room":"${r}","payload":{"action":"seek","position":1e400}}`) },
  { name: "-Infinity position (-1e400)", code: "invalid_payload", inRoom: true, send: (c, r) => c.sendRaw(`{"type":"state_update","room":"${r}","payload":{"play_state":"playing","position":-1e400}}`) },
  { name: "NaN-like position (null)", code: "invalid_payload", inRoom: true, send: (c, r) => c.sendRaw(`{"type":"player_event","room":"${r}","payload":{"action":"seek","position":null}}`) },
  { name: "negative position", code: "invalid_payload", inRoom: true, send: (c, r) => c.send("player_event", { action: "seek", position: -5 }, r) },
  { name: "negative start_pos", code: "invalid_payload", inRoom: false, send: (c) => c.send("create_room", { name: "x", start_pos: -1 }) },
  { name: "over-long name", code: "invalid_payload", inRoom: false, send: (c) => c.send("create_room", { name: "n".repeat(101), start_pos: 0 }) },
  { name: "unknown room", code: "room_not_found", inRoom: false, send: (c) => c.send("join_room", {}, "doesnotexist") },
  { name: "join_room without a room", code: "invalid_payload", inRoom: false, send: (c) => c.send("join_room", {}, "") },
  { name: "acting outside a room", code: "not_in_room", inRoom: false, send: (c) => c.send("player_event", { action: "play", position: 0 }) },
  { name: "chat outside a room", code: "not_in_room", inRoom: false, send: (c) => c.send("chat_message", { text: "hi" }) },
  { name: "leaving outside a room", code: "not_in_room", inRoom: false, send: (c) => c.send("leave_room", {}) },
  { name: "wrong room in the envelope", code: "wrong_room", inRoom: true, send: (c, _r, other) => c.send("player_event", { action: "play", position: 0 }, other) },
];

async function setup(t: TestContext, options: CreateServerOptions = {}) {
  const server = await startServer(t, options);
  const { host, roomId, guests } = await party(t, server, 1);
  const otherHost = await TestClient.connect(t, server.url);
  otherHost.send("create_room", { name: "Other", start_pos: 0 });
  const otherRoomId = (await otherHost.next("room_state")).room;
  return { server, host, roomId, bystander: guests[0]!, otherRoomId };
}

/** The sender still works, and the bystander still gets the host's events. */
async function assertUnaffected(sender: TestClient, host: TestClient, bystander: TestClient, roomId: string) {
  await sender.flush();
  await bystander.flush();
  const position = Math.round(Math.random() * 1000);
  host.send("player_event", { action: "seek", position }, roomId);
  const ev = await bystander.next("player_event", (m) => m.payload.position === position);
  assert.equal(ev.payload.action, "seek");
  assert.equal(sender.closeCode, null, "the sender's connection is open");
}

for (const c of cases) {
  test(`bad input: ${c.name} → ${c.code}, connection lives`, { timeout: 60_000 }, async (t) => {
    const { server, host, roomId, bystander, otherRoomId } = await setup(t);
    let sender = host;
    if (!c.inRoom) sender = await TestClient.connect(t, server.url);
    c.send(sender, roomId, otherRoomId);
    const err = await sender.error(c.code);
    assert.equal(typeof err.payload.message, "string");
    assert.ok(Number.isFinite(err.server_ts));
    await assertUnaffected(sender, host, bystander, roomId);
  });
}

test("bad input: oversize frame (> maxMessageBytes, < hard max) → frame_too_large, connection lives", { timeout: 60_000 }, async (t) => {
  const { host, roomId, bystander } = await setup(t, { maxMessageBytes: 1024, hardMaxMessageBytes: 64 * 1024 });
  host.send("chat_message", { text: "x".repeat(4000) }, roomId);
  const err = await host.error("frame_too_large");
  assert.match(err.payload.message, /1024/);
  await assertUnaffected(host, host, bystander, roomId);
  await bystander.flush();
  assert.equal(bystander.all("chat_message").length, 0);
});

test("bad input: a frame above the hard max closes only that socket (1009)", { timeout: 60_000 }, async (t) => {
  const { server, host, roomId, bystander } = await setup(t, { maxMessageBytes: 1024, hardMaxMessageBytes: 4096 });
  const sender = await TestClient.connect(t, server.url);
  sender.sendRaw("y".repeat(10_000));
  assert.equal(await sender.waitClosed(), 1009);
  await assertUnaffected(host, host, bystander, roomId);
});

test("bad input: a flood gets rate_limited and the connection works again after the bucket refills", { timeout: 60_000 }, async (t) => {
  // Instance processes (cluster mode) run on the real clock: there the bucket refills in real time.
  const clock = clusterRedisUrl ? null : new FakeClock();
  const { server, host, roomId, bystander } = await setup(t, { ...(clock ? { clock } : {}), maxMessagesPerSecond: 10, messageBurst: 20 });
  const flooder = await TestClient.connect(t, server.url);
  for (let i = 0; i < 100; i++) flooder.send("ping", { client_ts: i });
  const err = await flooder.error("rate_limited");
  assert.ok(err.payload.retry_after_ms > 0);
  // everyone else is unaffected meanwhile
  await bystander.flush();
  await host.flush();
  const refilledAt = Date.now() + err.payload.retry_after_ms + 1000;
  if (clock) clock.advance(err.payload.retry_after_ms + 1000);
  else await waitFor(() => Date.now() >= refilledAt, "the bucket's refill time", 10_000);
  await flooder.flush();
  const pongs = flooder.all("pong").length;
  assert.ok(pongs >= 20 && pongs < 100, `the burst got through and the rest was dropped (pongs=${pongs})`);
  assert.equal(flooder.all("error").length, 1, "rate_limited is not sent once per dropped frame");
  await assertUnaffected(flooder, host, bystander, roomId);
});
