/**
 * The ceiling: a bare `ws` relay doing the same fan-out with no protocol
 * logic. create_room/join_room put the socket in a room; any other message
 * gets server_ts stamped, is serialized once, and goes to the room's other
 * members.
 *
 * With `RELAY_STORE_FILE` set (bench:server `--durable-relay`), it is the
 * least a server can do that stores what it hands out on the embedded
 * default: the file opened as the server's store opens its own (better-sqlite3,
 * exclusive lock, WAL, synchronous = NORMAL), and a create, a join and every
 * message other than a host's state_update (the commands) writes its room's
 * row in one transaction before anything goes out — no validation, no
 * timeline, no snapshot of sessions.
 */
import Database from "better-sqlite3";
import { WebSocketServer, type WebSocket } from "ws";
import { processStats, send } from "./ipc.js";

const storeFile = process.env.RELAY_STORE_FILE;
const store = storeFile ? openStore(storeFile) : null;

function openStore(file: string): (id: string, row: object) => void {
  const db = new Database(file);
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL)");
  const upsert = db.prepare(
    "INSERT INTO rooms (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
  );
  const write = db.transaction((id: string, data: string) => upsert.run(id, data, Date.now()));
  return (id, row) => write(id, JSON.stringify(row));
}

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
  store?.(id, { id, members: members.size });
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
    if (msg.type !== "state_update") store?.(roomOf.get(ws)!, { id: roomOf.get(ws), members: room.size, last: msg });
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
