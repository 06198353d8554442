/**
 * Joining with a room id as users paste it: spaces, a trailing slash,
 * capitals or the whole invite link reach the room; an id that names no room,
 * and a room's password missing or wrong, are one sentence saying what to do.
 * Real mpv and a real server; the SDK host makes the rooms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { PartyClient } from "../../src/client/party-client.js";
import { MpvPartyError, startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServer } from "../support/server.js";

test("room ids typed loosely or as the invite link join the room; a wrong one says what to check", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "Typed" });
  const media = await mpvTestMedia();
  for (const typed of [`  ${room.id.toUpperCase()}/ `, `"${room.id}"`, `${server.httpUrl}/?room=${room.id}`]) {
    const party = await startMpvParty({ media, server: server.url, room: typed, mpvArgs: HEADLESS_MPV_ARGS });
    try {
      assert.equal(party.client.room?.id, room.id, `joined with ${JSON.stringify(typed)}`);
    } finally {
      await party.close();
    }
  }
  await assert.rejects(
    startMpvParty({ media, server: server.url, room: "zzzzzzzzzz", mpvArgs: HEADLESS_MPV_ARGS }),
    (err: Error) => err instanceof MpvPartyError && /No room "zzzzzzzzzz" on ws:\/\/.*check the id \(the part after \?room=/.test(err.message),
  );
});

test("a room with a password: missing or wrong is one sentence naming --password; the right one joins", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
  t.after(() => host.close());
  await host.connect();
  const room = await host.createRoom({ name: "Locked", password: "sesame" });
  const media = await mpvTestMedia();
  const base = { media, server: server.url, room: room.id, mpvArgs: HEADLESS_MPV_ARGS };
  await assert.rejects(startMpvParty(base), /has a password: give it with --password/);
  await assert.rejects(startMpvParty({ ...base, password: "open" }), /password for room .* is wrong/);
  const party = await startMpvParty({ ...base, password: "sesame" });
  t.after(() => party.close());
  assert.equal(party.client.room?.id, room.id);
});
