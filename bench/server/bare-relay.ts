/**
 * The ceiling: a bare `ws` relay doing the same fan-out with no protocol
 * logic. create_room/join_room put the socket in a room; any other message
 * gets server_ts stamped, is serialized once, and goes to the room's other
 * members.
 */
import { WebSocketServer, type WebSocket } from "ws";
import { processStats, send } from "./ipc.js";

const rooms = new Map<string, Set<WebSocket>>();
const roomOf = new Map<WebSocket, string>();
let nextRoom = 0;
let connections = 0;

const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false, clientTracking: false });

function join(ws: WebSocket, id: string): void {
  let members = rooms.get(id);
  if (!members) {
    members = new Set();
    rooms.set(id, members);
  }
  members.add(ws);
  roomOf.set(ws, id);
  ws.send(JSON.stringify({ type: "room_state", room: id, client: "", payload: {}, ts: Date.now(), server_ts: Date.now() }));
}

let nextClient = 0;

wss.on("connection", (ws) => {
  connections++;
  const clientId = `c${++nextClient}`;
  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; room: string; client?: string; server_ts?: number };
    if (msg.type === "create_room") return join(ws, `r${++nextRoom}`);
    if (msg.type === "join_room") return join(ws, msg.room);
    const room = rooms.get(roomOf.get(ws) ?? "");
    if (!room) return;
    msg.client = clientId;
    msg.server_ts = Date.now();
    const frame = JSON.stringify(msg);
    for (const peer of room) if (peer !== ws) peer.send(frame);
  });
  ws.on("close", () => {
    connections--;
    const id = roomOf.get(ws);
    if (id) rooms.get(id)?.delete(ws);
    roomOf.delete(ws);
  });
});

wss.on("listening", () => {
  const addr = wss.address();
  if (typeof addr === "object" && addr) send({ kind: "listening", port: addr.port });
});

process.on("message", (m: { kind: string }) => {
  if (m.kind === "stats") {
    send(processStats(connections));
  } else if (m.kind === "stop") {
    wss.close();
    process.exit(0);
  }
});
