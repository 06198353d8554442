/**
 * A host whose connection dropped keeps the host role for its resume grace,
 * but the party is not left without control: while the host is away any
 * member may play, pause and seek; once the host is back, only the host may
 * again (src/server/core/handlers/playback.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CoreHarness, settle } from "../../support/core-harness.js";

test("while the host is away every member may play, pause and seek; back, the host alone again", { timeout: 30_000 }, async () => {
  const h = new CoreHarness({ resumeGraceMs: 30_000 });
  const { host, roomId } = h.createRoom();
  host.send("hello", {});
  await settle();
  const token = host.last("client_hello").payload.resume_token as string;
  const guest = h.join(roomId);

  guest.send("player_event", { action: "play", position: 5 }, roomId, { id: "before" });
  assert.equal(guest.last("error").payload.code, "not_host");

  host.disconnect(); // resumable: keeps its seat and the host role for the grace
  assert.equal(h.hub.rooms.get(roomId)!.hostId, host.id, "the host role waits for the host");
  guest.send("player_event", { action: "play", position: 5 }, roomId, { id: "away" });
  assert.equal(guest.last("ack").payload.id, "away", "the guest's play is taken while the host is away");
  assert.equal(h.hub.rooms.get(roomId)!.timeline.play_state, "playing");
  guest.send("player_event", { action: "pause", position: 6 }, roomId, { id: "pause" });
  assert.equal(guest.last("ack").payload.id, "pause");

  const back = await h.resume(token);
  assert.ok(h.hub.isConnected(host.id), "the host resumed");
  guest.send("player_event", { action: "play", position: 6 }, roomId, { id: "after" });
  assert.equal(guest.last("error").payload.code, "not_host", "back, only the host controls");
  void back;
});
