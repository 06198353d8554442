/**
 * WebSocket framing abuse, sent as a fuzzer would on a bare TCP socket:
 * floods of pings or unsolicited pongs are closed with 4003 and a reason
 * (ws alone reset a ping flood without a close frame and never stopped a
 * pong flood), and every malformed frame ws refuses closes with its RFC
 * code and a reason saying what was wrong. Throughout, a member of a room
 * elsewhere keeps getting its answers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRoom } from "../integration/helpers.js";
import { Opcode, RawWebSocket, clientFrame } from "../support/raw-ws.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";
import type { PartyServer } from "../../src/server/index.js";

type T = Parameters<typeof startServer>[0];

/** A host in a room of its own, and a round trip (ping → pong) it must still get. */
async function bystander(t: T, server: PartyServer) {
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Bystander" });
  const roomId = await createRoom(host, "Elsewhere");
  let n = 0;
  return async (when: string) => {
    const clientTs = ++n;
    host.send("ping", { client_ts: clientTs }, roomId);
    const pong = await host.next("pong", (m) => m.payload.client_ts === clientTs, 15_000).catch(() => null);
    assert.ok(pong, `${when}: the bystander got no pong within 15 s`);
    assert.equal(host.closeCode, null, `${when}: the bystander's socket closed`);
  };
}

/** Writes `frame` in batches of 1,000 until the socket ends or `max` frames went out; returns how many went. */
async function flood(ws: RawWebSocket, frame: Buffer, max: number): Promise<number> {
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame));
  let sent = 0;
  while (!ws.ended && ws.close === null && sent < max) {
    await ws.write(batch);
    sent += 1000;
  }
  return sent;
}

for (const [kind, opcode] of [
  ["pings", Opcode.PING],
  ["unsolicited pongs", Opcode.PONG],
] as const) {
  test(`a flood of ${kind} is closed with 4003 "control frame flood"; a member elsewhere keeps its round trips`, { timeout: 90_000 }, async (t) => {
    const server = await startServer(t, { messageBurst: 60 });
    const roundTrip = await bystander(t, server);
    await roundTrip("before the flood");
    const attacker = await RawWebSocket.open(t, Number(new URL(server.url).port));
    const sent = await flood(attacker, clientFrame(opcode, "x".repeat(100)), 200_000);
    const close = await attacker.closed(`${kind} flood of ${sent} frames`);
    assert.deepEqual(close, { code: 4003, reason: "control frame flood" }, `the ${kind} flood's close (null: cut without a close frame)`);
    const pongs = attacker.count(Opcode.PONG);
    if (opcode === Opcode.PING) assert.ok(pongs >= 1 && pongs < 1000, `pongs answered before the close: ${pongs} (of ${sent} pings)`);
    else assert.equal(pongs, 0, "a pong is never answered");
    await roundTrip(`after the ${kind} flood`);
  });
}

test("pings within the burst are each answered with their data, and the connection stays", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { messageBurst: 60 });
  const client = await TestClient.connect(t, server.url);
  const pongs: string[] = [];
  const all = new Promise<void>((resolve, reject) => {
    client.ws.on("pong", (d: Buffer) => {
      pongs.push(d.toString());
      if (pongs.length === 60) resolve();
    });
    client.ws.once("close", (code) => reject(new Error(`closed (${code}) after ${pongs.length} pongs`)));
  });
  for (let i = 0; i < 60; i++) client.ws.ping(`beat-${i}`);
  await all;
  assert.deepEqual(pongs, Array.from({ length: 60 }, (_, i) => `beat-${i}`), "each pong carries its ping's data, in order");
  assert.equal(client.closeCode, null, "60 pings at once are the burst, no flood");
});

const MALFORMED: Array<[string, Buffer, number]> = [
  ["a reserved bit set (RSV1, no extension agreed)", clientFrame(Opcode.TEXT, "{}", { rsv: 4 }), 1002],
  ["an unmasked client frame", clientFrame(Opcode.TEXT, "{}", { mask: false }), 1002],
  ["a continuation with nothing to continue", clientFrame(Opcode.CONTINUATION, "{}"), 1002],
  ["a reserved opcode", clientFrame(0x3, "x"), 1002],
  ["a fragmented ping", clientFrame(Opcode.PING, "x", { fin: false }), 1002],
  ["a ping over 125 bytes", clientFrame(Opcode.PING, "x".repeat(126)), 1002],
  ["a close with code 999", clientFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe7])), 1002],
  ["a close with a 1-byte body", clientFrame(Opcode.CLOSE, Buffer.from([0x03])), 1002],
  ["a text frame of invalid UTF-8", clientFrame(Opcode.TEXT, Buffer.from([0x7b, 0xff, 0xfe])), 1007],
  ["a UTF-8 lone surrogate", clientFrame(Opcode.TEXT, Buffer.from([0xed, 0xa0, 0x80])), 1007],
  ["a close reason of invalid UTF-8", clientFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe8, 0xff])), 1007],
  ["a length of 2^63 - 1", clientFrame(Opcode.TEXT, "", { length: 2n ** 63n - 1n }), 1009],
];

test("each malformed frame is closed with its RFC 6455 code and a reason; a member elsewhere keeps its round trips", { timeout: 90_000 }, async (t) => {
  const server = await startServer(t);
  const roundTrip = await bystander(t, server);
  for (const [what, frame, code] of MALFORMED) {
    const ws = await RawWebSocket.open(t, Number(new URL(server.url).port));
    await ws.write(frame);
    const close = await ws.closed(what);
    assert.equal(close?.code, code, `${what}: close code (null: cut without a close frame)`);
    assert.ok((close?.reason.length ?? 0) > 0, `${what}: close ${code} came without a reason`);
    await roundTrip(`after ${what}`);
  }
});
