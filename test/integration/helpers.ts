/** Small protocol steps shared by the socket tests. */
import type { TestContext } from "node:test";
import type { PartyServer } from "../../src/server/index.js";
import { type Received, TestClient } from "../support/ws-client.js";

export async function createRoom(c: TestClient, name = "Movie night", startPos = 0, extra: Record<string, unknown> = {}): Promise<string> {
  c.send("create_room", { name, start_pos: startPos, ...extra });
  return (await c.next("room_state")).room;
}

export async function joinRoom(c: TestClient, roomId: string): Promise<Received> {
  c.send("join_room", {}, roomId);
  return c.next("room_state", (m) => m.room === roomId);
}

/** A host in a new room plus `guests` members who have joined it. */
export async function party(t: Pick<TestContext, "after">, server: PartyServer, guests = 1) {
  const host = await TestClient.connect(t, server.url);
  const roomId = await createRoom(host);
  const members: TestClient[] = [];
  for (let i = 0; i < guests; i++) {
    const g = await TestClient.connect(t, server.url);
    await joinRoom(g, roomId);
    members.push(g);
  }
  await host.next("participants_update", (m) => m.payload.participant_count === guests + 1);
  return { host, roomId, guests: members };
}

export const count = (n: number) => (m: Received) => m.payload.participant_count === n;
