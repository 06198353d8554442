/**
 * The protocol extensions behind the party page, over real sockets:
 * password and unlisted rooms (never listed; coded errors without or with a
 * wrong password; the seed client sees only listed, open rooms), room_info
 * for the invite page, `leaving` (a short grace instead of the resume
 * grace), `needs_click` in sync_report, a media change that starts at 0 or
 * at the host's position, and the invite fields of client_hello.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";
import { waitFor } from "../support/wait-for.js";
import { count, createRoom, joinRoom } from "./helpers.js";

const T = { timeout: 20_000 };

test("a password room is not listed; joining without or with a wrong password is refused with a code", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Hana" });
  const other = await TestClient.connect(t, server.url);
  const listedId = await createRoom(other, "Listed and open");
  const secretId = await createRoom(host, "Secret", 0, { password: "tulip" });
  const third = await TestClient.connect(t, server.url);
  const unlistedId = await createRoom(third, "Unlisted", 0, { private: true });

  const seed = await TestClient.connect(t, server.url);
  seed.send("list_rooms");
  const list = await seed.next("room_list");
  const ids = list.payload.map((r: { id: string }) => r.id);
  assert.ok(ids.includes(listedId), "a listed, open room is listed");
  assert.ok(!ids.includes(secretId), "a password room is never listed");
  assert.ok(!ids.includes(unlistedId), "an unlisted room is not listed");

  seed.send("join_room", {}, secretId, { id: 1 });
  const missing = await seed.error("password_required");
  assert.equal(missing.payload.ref, 1);
  seed.send("join_room", { password: "rose" }, secretId, { id: 2 });
  assert.equal((await seed.error("wrong_password")).payload.ref, 2);
  assert.equal(server.core.hub.rooms.get(secretId)?.members.size, 1, "nobody got in");
  seed.send("join_room", { password: "tulip" }, secretId);
  await seed.next("room_state", (m) => m.room === secretId);
  // The unlisted room has no password: its id (the invite link) is enough.
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, unlistedId);
  // The password is kept only as a hash.
  const snapshot = JSON.stringify(server.core.hub.rooms.get(secretId), (key, value) => (key.endsWith("Timer") ? undefined : value));
  assert.ok(!snapshot.includes("tulip"), "the password itself is not stored");
});

test("room_info shows an invite page the room's name, host and title, or room_not_found at once", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", { display_name: "Hana" });
  const roomId = await createRoom(host, "Friday film", 0, { media_title: "Big Buck Bunny", password: "x" });
  const visitor = await TestClient.connect(t, server.url);
  visitor.send("room_info", {}, roomId);
  const info = await visitor.next("room_info");
  assert.deepEqual(info.payload, { id: roomId, name: "Friday film", host_name: "Hana", media_title: "Big Buck Bunny", count: 1, password: true });
  assert.equal(server.core.hub.rooms.get(roomId)?.members.size, 1, "asking does not join");
  visitor.send("room_info", {}, "nosuchroom", { id: "q" });
  assert.equal((await visitor.error("room_not_found")).payload.ref, "q");
});

test("client_hello carries the invite base and the leaving grace", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t, { publicUrl: "https://party.example.com/party/", leavingGraceMs: 1234 });
  const c = await TestClient.connect(t, server.url);
  const hello = c.all("client_hello")[0];
  assert.equal(hello?.payload.public_url, "https://party.example.com/party/");
  assert.equal(hello?.payload.leaving_grace_ms, 1234);
  assert.ok("lan_url" in (hello?.payload ?? {}));
});

test("a member that said `leaving` keeps its seat only for leavingGraceMs, then leaves; a resume in time keeps it", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t, { leavingGraceMs: 300, resumeGraceMs: 60_000 });
  const host = await TestClient.connect(t, server.url);
  host.send("hello", {});
  const roomId = await createRoom(host);
  const guest = await TestClient.connect(t, server.url);
  guest.send("hello", { display_name: "Gus" });
  await joinRoom(guest, roomId);
  const token = guest.all("client_hello")[0]?.payload.resume_token as string;

  // A reload: leaving, close, resume at once on a new socket.
  guest.send("leaving", {});
  await guest.flush();
  guest.close();
  const back = await TestClient.connect(t, server.url);
  back.send("resume", { resume_token: token });
  const resumed = await back.next("resumed");
  assert.equal(resumed.payload.client_id, guest.clientId);
  assert.equal(resumed.payload.room, roomId);

  // A closed tab: leaving, close, nothing more. The seat frees after 300 ms, not 60 s.
  back.send("leaving", {});
  await back.flush();
  back.close();
  await host.next("client_left", (m) => m.payload.client_id === guest.clientId && m.payload.reason === "expired", 10_000);
  await host.next("participants_update", count(1));
});

test("needs_click in sync_report is told to the room at once, and stays until the member says otherwise", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", {});
  const roomId = await createRoom(host);
  const guest = await TestClient.connect(t, server.url);
  guest.send("hello", {});
  await joinRoom(guest, roomId);
  guest.send("sync_report", { offset_ms: -77, rtt_ms: 10, needs_click: true });
  const flagged = await host.next("participants_update", (m) =>
    m.payload.participants.some((p: { id: string; needs_click?: boolean }) => p.id === guest.clientId && p.needs_click === true),
  );
  assert.ok(flagged);
  guest.send("sync_report", { offset_ms: -70, rtt_ms: 10 });
  await guest.flush();
  assert.equal(server.core.hub.rooms.get(roomId)?.members.get(guest.clientId)?.needsClick, true, "a report without the field leaves it");
  guest.send("sync_report", { offset_ms: 0, rtt_ms: 10, needs_click: false });
  await host.next("participants_update", (m) =>
    m.payload.participants.some((p: { id: string; needs_click?: boolean }) => p.id === guest.clientId && p.needs_click === undefined),
  );
});

test("changing the media starts it paused at 0 (or where the host says) for everyone", { timeout: T.timeout }, async (t) => {
  const server = await startServer(t);
  const host = await TestClient.connect(t, server.url);
  host.send("hello", {});
  const roomId = await createRoom(host, "Episodes", 0, { media_url: "http://media.example/ep1.mp4" });
  const guest = await TestClient.connect(t, server.url);
  await joinRoom(guest, roomId);
  host.send("player_event", { action: "play", position: 43 }, roomId);
  await guest.next("player_event", (m) => m.payload.action === "play");

  host.send("room_settings", { media_url: "http://media.example/ep2.mp4", media_title: "Episode 2" }, roomId);
  const settings = await guest.next("room_settings");
  assert.equal(settings.payload.media_url, "http://media.example/ep2.mp4");
  const start = await guest.next("player_event");
  assert.equal(start.payload.position, 0);
  assert.equal(start.payload.timeline.play_state, "paused");
  assert.equal(start.payload.timeline.position, 0);

  host.send("room_settings", { media_url: "http://media.example/ep3.mp4", start_pos: 90 }, roomId);
  const at90 = await guest.next("player_event");
  assert.equal(at90.payload.timeline.position, 90);
  // A late joiner is told the new media's position, not the old one's.
  const late = await TestClient.connect(t, server.url);
  const st = await joinRoom(late, roomId);
  assert.equal(st.payload.media_url, "http://media.example/ep3.mp4");
  assert.equal(st.payload.state.position, 90);
  await waitFor(() => server.core.hub.rooms.get(roomId)?.timeline.play_state === "paused", "the room to be paused");
});
