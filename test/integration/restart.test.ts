/**
 * Rooms survive a server restart: with a data file, a restarted server
 * brings the room back and SDK clients resume with the same id, room and
 * host role, the chat history and a timeline that kept playing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { createServer } from "../../src/server/index.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";

test("a restarted server brings rooms back and SDK clients resume into them", { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "osp-restart-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataFile = join(dir, "rooms.db");
  const first = createServer({ port: 0, host: "127.0.0.1", logLevel: "silent", dataFile });
  const { port } = await first.listen();
  const url = first.url;

  const connect = async (name: string) => {
    const c = new PartyClient({
      url,
      displayName: name,
      createSocket: nodeWebSocket,
      backoff: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    t.after(() => c.close());
    await c.connect();
    return c;
  };
  const host = await connect("Ana");
  const guest = await connect("Ben");
  const room = await host.createRoom({ name: "Survives restarts", mediaUrl: "https://media.example/film.mp4" });
  await guest.joinRoom(room.id);
  await host.sendChat("see you after the restart");
  await host.play(30);
  await waitFor(() => guest.room?.chat.length === 1 && guest.room.timeline.play_state === "playing", "guest has chat and play");
  const ids = { host: host.clientId, guest: guest.clientId };
  const timelineBefore = { ...host.room!.timeline };

  await first.close();
  await waitFor(() => host.connection.state === "reconnecting" && guest.connection.state === "reconnecting", "clients notice");

  const second = createServer({ port, host: "127.0.0.1", logLevel: "silent", dataFile });
  await second.listen();
  t.after(() => second.close());
  await waitFor(() => host.connection.state === "open" && guest.connection.state === "open", "clients reconnect", 10_000);
  await waitFor(() => host.room?.participants.every((p) => p.connected) && host.room.participants.length === 2, "both back");

  assert.equal(host.clientId, ids.host, "host kept its id");
  assert.equal(guest.clientId, ids.guest, "guest kept its id");
  assert.equal(host.room?.id, room.id);
  assert.ok(host.isHost, "host kept the host role");
  assert.equal(guest.room?.mediaUrl, "https://media.example/film.mp4");
  assert.deepEqual(guest.room?.chat.map((c) => c.text), ["see you after the restart"]);
  // The same line in server time: playback went on through the restart, as the viewers' players did.
  assert.deepEqual(host.room?.timeline, timelineBefore);

  // A seed client (no resume) sees the restored room in the pushed list.
  const seed = await TestClient.connect(t, url);
  const list = await seed.next("room_list");
  assert.deepEqual(
    list.payload.map((r: { id: string; count: number }) => [r.id, r.count]),
    [[room.id, 2]],
  );
});
