/**
 * The original OpenSyncParty web client's contract
 * (../shared/reference/original-client.md), spoken exactly: envelope
 * {type, room, payload, ts} + client once known, `room: ""` when not in a
 * room, `join_room` with `{}`, never `list_rooms`, relying on pushed
 * `room_list`, and filtering what it receives the way that client does.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { startServer } from "../support/server.js";
import { type Received, TestClient } from "../support/ws-client.js";

class OriginalClient {
  roomId = "";
  isHost = false;
  constructor(readonly ws: TestClient) {}

  /** What the original client would act on: no room yet, its room, an empty room, or any room_state. */
  accepts(m: Received): boolean {
    return !this.roomId || m.room === this.roomId || m.room === "" || m.type === "room_state";
  }

  async next(type: string, pred: (m: Received) => boolean = () => true): Promise<Received> {
    const m = await this.ws.next(type, (x) => this.accepts(x) && pred(x));
    if (type === "room_state") {
      this.roomId = m.room;
      this.isHost = m.payload.host_id === this.ws.clientId;
    }
    if (type === "room_closed") this.roomId = "";
    return m;
  }

  private send(type: string, payload: unknown): void {
    this.ws.send(type, payload, this.roomId);
  }
  createRoom(name: string, startPos: number): void {
    this.send("create_room", { name, start_pos: startPos });
  }
  joinRoom(id: string): void {
    this.roomId = id;
    this.send("join_room", {});
  }
  leaveRoom(): void {
    this.send("leave_room", {});
    this.roomId = "";
  }
  ping(): void {
    this.send("ping", { client_ts: Date.now() });
  }
  playerEvent(action: "play" | "pause" | "seek", position: number): void {
    this.send("player_event", { action, position });
  }
  stateUpdate(position: number): void {
    this.send("state_update", { position, play_state: "playing" });
  }
}

test("the original web client, unmodified: create, see it listed, join, play/seek/pause, counts, leave", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t);
  const host = new OriginalClient(await TestClient.connect(t, server.url));
  const guest = new OriginalClient(await TestClient.connect(t, server.url));
  await host.next("room_list");
  await guest.next("room_list");

  host.ping();
  const pong = await host.next("pong");
  assert.ok(Date.now() - pong.payload.client_ts >= 0);

  host.createRoom("Movie night", 0);
  const created = await host.next("room_state");
  assert.ok(host.roomId);
  assert.equal(host.isHost, true, "decides it is host from host_id === client_id");

  const listed = await guest.next("room_list", (m) => m.payload.some((r: { id: string }) => r.id === host.roomId));
  const entry = listed.payload.find((r: { id: string }) => r.id === host.roomId);
  assert.equal(entry.name, "Movie night");
  assert.equal(entry.count, 1);

  guest.joinRoom(entry.id);
  const joined = await guest.next("room_state");
  assert.equal(guest.isHost, false);
  assert.equal(joined.payload.name, "Movie night");
  assert.equal(joined.payload.participant_count, 2);
  assert.equal(typeof joined.payload.state.position, "number");
  assert.equal(created.payload.participant_count, 1);
  const hostSees = await host.next("participants_update", (m) => m.payload.participant_count === 2);
  assert.equal(hostSees.room, host.roomId);

  host.playerEvent("play", 12);
  let ev = await guest.next("player_event");
  assert.deepEqual([ev.payload.action, ev.payload.position], ["play", 12]);
  host.playerEvent("seek", 300);
  ev = await guest.next("player_event");
  assert.deepEqual([ev.payload.action, ev.payload.position], ["seek", 300]);
  host.playerEvent("pause", 301);
  ev = await guest.next("player_event");
  assert.equal(ev.payload.action, "pause");
  assert.equal(typeof ev.payload.position, "number");

  host.playerEvent("play", 301);
  await guest.next("player_event", (m) => m.payload.action === "play");
  host.stateUpdate(301.2);
  const su = await guest.next("state_update");
  assert.ok(Math.abs(su.payload.position - 301.2) <= 3, "within the 3 s the client tolerates");
  assert.equal(su.payload.play_state, "playing");

  // a guest that leaves: the host's count drops (participants_update is all it reads)
  guest.leaveRoom();
  await host.next("participants_update", (m) => m.payload.participant_count === 1);
  const back = await guest.next("room_list");
  assert.equal(back.payload.find((r: { id: string }) => r.id === host.roomId).count, 1);
});

/** Two original clients on a fresh server: one created a room, the other joined it. */
async function hostAndGuest(t: TestContext) {
  const server = await startServer(t);
  const host = new OriginalClient(await TestClient.connect(t, server.url));
  const guest = new OriginalClient(await TestClient.connect(t, server.url));
  host.createRoom("Film", 0);
  await host.next("room_state");
  guest.joinRoom(host.roomId);
  await guest.next("room_state");
  return { host, guest };
}

test("the original client's host leaving does not strand its guest", { timeout: 60_000 }, async (t) => {
  const { host, guest } = await hostAndGuest(t);
  await host.next("participants_update", (m) => m.payload.participant_count === 2);
  host.leaveRoom();
  // either the host role migrates to the guest, or the room closes: never silence
  const upd = await guest.next("participants_update", (m) => m.payload.participant_count === 1);
  const migrated = guest.ws.all("host_changed").some((m) => m.payload.host_id === guest.ws.clientId);
  const closed = guest.ws.all("room_closed").length > 0;
  assert.ok(migrated || closed, "host_changed or room_closed reached the guest");
  assert.equal(upd.room, guest.roomId);
  // the stranded-guest check the client can act on: its count is right and the room still answers it
  guest.ping();
  await guest.next("pong");
});

test("the original client's host disconnecting (tab closed) updates the guest's count", { timeout: 60_000 }, async (t) => {
  const { host, guest } = await hostAndGuest(t);
  host.ws.close();
  await guest.next("participants_update", (m) => m.payload.participant_count === 1);
  assert.equal(guest.ws.all("host_changed").at(-1)?.payload.host_id, guest.ws.clientId);
});
