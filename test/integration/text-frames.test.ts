/**
 * What members get over real sockets is whole text frames (never binary:
 * seed clients JSON.parse event.data), non-ASCII text intact, consecutive
 * broadcasts not bleeding into each other — also when the gateway corks a
 * heartbeat ping into the same write as a frame (a short interval here).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import WebSocket from "ws";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

interface Frame {
  binary: boolean;
  msg: { type: string; payload: Record<string, unknown> };
}

async function member(url: string, t: { after(fn: () => void): void }): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const ws = new WebSocket(url);
  t.after(() => ws.terminate());
  const frames: Frame[] = [];
  ws.on("message", (data, isBinary) => frames.push({ binary: isBinary, msg: JSON.parse(data.toString()) }));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, frames };
}

const send = (ws: WebSocket, type: string, payload: unknown, room = "") =>
  ws.send(JSON.stringify({ type, room, client: "", payload, ts: Date.now() }));

test("broadcasts reach every member as whole text frames", { timeout: 30_000 }, async (t) => {
  const server = await startServer(t, { heartbeatIntervalMs: 200 });
  const host = await member(server.url, t);
  send(host.ws, "create_room", { name: "Frames", start_pos: 0 });
  await waitFor(() => host.frames.find((f) => f.msg.type === "room_state"), "the host's room_state", 10_000);
  const roomId = (host.frames.find((f) => f.msg.type === "room_state")!.msg as unknown as { room: string }).room;
  const guests = [await member(server.url, t), await member(server.url, t), await member(server.url, t)];
  for (const g of guests) send(g.ws, "join_room", { display_name: "Gäst ✓" }, roomId);
  for (const g of guests) await waitFor(() => g.frames.some((f) => f.msg.type === "room_state"), "a guest's room_state", 10_000);

  const lines = ["first line — ü", "second line, longer than the first one: 日本語", "3"];
  for (const text of lines) send(host.ws, "chat_message", { text }, roomId);
  for (const g of [host, ...guests]) {
    await waitFor(() => g.frames.filter((f) => f.msg.type === "chat_message").length === 3, "three chat lines each", 10_000);
    assert.deepEqual(
      g.frames.filter((f) => f.msg.type === "chat_message").map((f) => f.msg.payload.text),
      lines,
      "each line whole and in order",
    );
    assert.deepEqual(
      g.frames.filter((f) => f.binary).map((f) => f.msg.type),
      [],
      "no binary frames",
    );
  }
});
