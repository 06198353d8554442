/**
 * SDK: while the host is away (its connection dropped, within its resume
 * grace) a guest's client says it may control the room and its play is
 * taken by the server; once the host is back it may not.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

test("a guest may control while the host is away, and not once it is back", { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { resumeGraceMs: 30_000 });
  const client = (name: string, resumeToken?: string) => {
    const c = new PartyClient({ url: server.url, displayName: name, createSocket: nodeWebSocket, ...(resumeToken ? { resumeToken } : {}) });
    t.after(() => c.close());
    return c;
  };
  const host = client("Ana");
  await host.connect();
  const room = await host.createRoom({ name: "Away" });
  const guest = client("Ben");
  await guest.connect();
  await guest.joinRoom(room.id);
  assert.equal(guest.canControl, false);
  await assert.rejects(guest.play(3), (e: unknown) => (e as { code?: string }).code === "not_host");

  const token = host.connection.sessionToken!;
  host.close();
  await waitFor(() => guest.canControl, "the guest's client to see the host away", 10_000);
  await guest.play(3);
  assert.equal(server.core.hub.rooms.get(room.id)!.timeline.play_state, "playing");

  const back = client("Ana", token);
  await back.connect();
  await waitFor(() => !guest.canControl, "the guest's client to see the host back", 10_000);
  assert.equal(back.isHost, true);
  await assert.rejects(guest.pause(4), (e: unknown) => (e as { code?: string }).code === "not_host");
});
