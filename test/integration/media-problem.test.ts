/**
 * A member whose media does not load says so (`sync_report.media_problem`);
 * the room shows it on that member's row (`participants[].media_problem`,
 * "media problem" in every UI's words) instead of "measuring…" for ever,
 * until the member's media loads or the host changes the media.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeSync } from "../../src/client/sync-status.js";
import { startServer } from "../support/server.js";
import { createRoom, joinRoom } from "./helpers.js";
import { TestClient } from "../support/ws-client.js";

test("media_problem in a sync_report is shown to the room and cleared by the member or by new media", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Hana" });
  const roomId = await createRoom(host, "Problems", 0, { media_url: "http://localhost:3911/test.mp4" });
  const guest = await TestClient.connect(t, server.url);
  guest.send("hello", { display_name: "Gus" });
  await joinRoom(guest, roomId);
  const guestRow = (m: { payload: { participants?: Array<{ id: string; media_problem?: boolean }> } }) =>
    m.payload.participants?.find((p) => p.id === guest.clientId);

  guest.send("sync_report", { offset_ms: 0, rtt_ms: 5, media_problem: true }, roomId);
  const shown = await host.next("participants_update", (m) => guestRow(m)?.media_problem === true, 10_000);
  assert.equal(describeSync(guestRow(shown) as never), "media problem");
  // Reports without the field leave it, and record no offset meanwhile.
  guest.send("sync_report", { offset_ms: 12, rtt_ms: 5 }, roomId);
  await guest.flush();
  const member = server.core.hub.rooms.get(roomId)?.members.get(guest.clientId);
  assert.equal(member?.mediaProblem, true);
  assert.equal(member?.sync, null, "no offset recorded for a member without media");

  guest.send("sync_report", { offset_ms: 0, rtt_ms: 5, media_problem: false }, roomId);
  const cleared = await host.next("participants_update", (m) => guestRow(m) !== undefined && guestRow(m)?.media_problem === undefined, 10_000);
  assert.equal(describeSync(guestRow(cleared) as never), "measuring…");

  // Set again, then the host changes the media: the new media may well load for everyone.
  guest.send("sync_report", { offset_ms: 0, rtt_ms: 5, media_problem: true }, roomId);
  await host.next("participants_update", (m) => guestRow(m)?.media_problem === true, 10_000);
  host.send("room_settings", { media_url: "http://192.0.2.2:3911/test.mp4" }, roomId, { id: "s" });
  await host.next("ack", (m) => m.payload.id === "s", 10_000);
  assert.equal(server.core.hub.rooms.get(roomId)?.members.get(guest.clientId)?.mediaProblem, false);
});
