/**
 * Who did what, over the real server and real sockets: two SDK clients
 * (Ana hosts, Bob joins) each collect watchActivity() lines — the lines the
 * party page's feed and mpv's OSD show — and see joins, the host's pause
 * with its media time, a jump, a speed change, buffering waits and their
 * end, a host hand-over, a refused pause with why, the end of the media,
 * and a leave.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ActivityEntry, PartyClient, formatMediaTime, watchActivity } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

async function member(t: { after(fn: () => void): void }, url: string, name: string) {
  const client = new PartyClient({ url, displayName: name, createSocket: nodeWebSocket });
  t.after(() => client.close());
  await client.connect();
  const lines: ActivityEntry[] = [];
  const seen = (text: string | RegExp, timeoutMs = 5000) =>
    waitFor(() => lines.find((l) => (typeof text === "string" ? l.text === text : text.test(l.text))), `"${text}" in ${name}'s activity: ${JSON.stringify(lines.map((l) => l.text))}`, timeoutMs);
  return { client, lines, seen, watch: () => watchActivity(client, (e) => lines.push(e)) };
}

test("activity: joins, pause at a time, jump, speed, buffering, host, refusal, end, leave", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { defaultLeadMs: 100 });
  const ana = await member(t, server.url, "Ana");
  const room = await ana.client.createRoom({ name: "Friday film club" });
  ana.watch();
  const bob = await member(t, server.url, "Bob");
  await bob.client.joinRoom(room.id);
  bob.watch();

  const joined = await ana.seen("Bob joined");
  assert.equal(joined.by, bob.client.clientId);
  assert.ok(Math.abs(joined.at - Date.now()) < 60_000, "a clock time, ms since the epoch");

  await ana.client.play(754);
  await bob.seen("Ana played from 12:34");
  await ana.seen("You played from 12:34");
  await ana.client.pause(760.2);
  const paused = await bob.seen(/^Ana paused at 12:(3|4)\d$/);
  assert.equal(paused.kind, "pause");
  assert.equal(paused.mine, false);
  await ana.client.seek(3600);
  await bob.seen("Ana jumped to 1:00:00");
  await ana.client.connection.request("player_event", { action: "seek", position: 3600, rate: 1.5 });
  await bob.seen("Ana changed the speed to 1.5×");

  // Buffering waits (the room's default policy is "wait").
  await ana.client.play(3600);
  bob.client.setReady(false, 3600.5);
  await ana.seen(/^Paused at 1:00:0\d: someone is buffering$/);
  await ana.seen("Waiting for Bob (buffering)");
  bob.client.setReady(true);
  await ana.seen("Bob is ready again");
  await ana.seen(/^Everyone is ready: playing from 1:00:0\d$/);

  // Bob may not control: the server refuses, and his activity says why.
  await assert.rejects(bob.client.pause(3601), /Only the host/);
  const refused = await bob.seen("Only the host controls playback in this room.");
  assert.equal(refused.kind, "refused");

  await ana.client.transferHost(bob.client.clientId);
  await bob.seen("You are now the host");
  await ana.seen("Bob is now the host");

  // The end of the media: the room learned the duration from a player.
  bob.client.connection.send("media_info", { duration: 3603 });
  await waitFor(() => ana.client.mediaDuration === 3603, "the room knows the duration");
  await bob.client.play(3602);
  await ana.seen("The video ended at 1:00:03");
  assert.equal(ana.client.expectedPosition(), 3603);
  assert.equal(ana.client.atEnd(), true);

  await bob.client.leaveRoom();
  await ana.seen("Bob left");
});

test("formatMediaTime gives m:ss under an hour and h:mm:ss above", { timeout: 1000 }, () => {
  assert.equal(formatMediaTime(0), "0:00");
  assert.equal(formatMediaTime(754.9), "12:34");
  assert.equal(formatMediaTime(3600), "1:00:00");
  assert.equal(formatMediaTime(-3), "0:00");
});

test("activity: a media change reads as a media change, not as a pause", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t);
  const ana = await member(t, server.url, "Ana");
  const room = await ana.client.createRoom({ name: "Double feature", mediaUrl: "https://media.example/first.mp4" });
  ana.watch();
  const bob = await member(t, server.url, "Bob");
  await bob.client.joinRoom(room.id);
  bob.watch();
  await ana.client.play(10);
  await bob.seen("Ana played from 0:10");
  await ana.client.updateSettings({ media_url: "https://media.example/second.mp4", media_title: "second.mp4", start_pos: 30 });
  const changed = await bob.seen("Ana changed the media to second.mp4, starting at 0:30");
  assert.equal(changed.kind, "media");
  await ana.seen("You changed the media to second.mp4, starting at 0:30");
  // A start position alone (same media) is still a pause by the host.
  await ana.client.updateSettings({ start_pos: 5 });
  await bob.seen("Ana paused at 0:05");
  for (const who of [ana, bob]) {
    assert.ok(!who.lines.some((l) => /paused at 0:30/.test(l.text)), `no "paused at 0:30" line: ${JSON.stringify(who.lines.map((l) => l.text))}`);
  }
});
