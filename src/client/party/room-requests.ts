/**
 * Requests about rooms from outside one: the `create_room` payload made
 * from CreateRoomOptions, and the requests whose answer is a message of its
 * own besides the ack — the room list (`room_list`) and a room's public
 * facts (`room_info`). Their listener is set before the request goes out,
 * so a reply that arrives with the ack is not missed.
 */
import type { CreateRoomPayload, RoomInfoPayload, RoomSummary, ServerMessage } from "../../protocol/index.js";
import type { PartyConnection } from "../connection.js";
import type { CreateRoomOptions } from "./party-client-types.js";

/** The `create_room` payload for `o`: the optional fields only when given. */
export function createRoomPayload(o: CreateRoomOptions): CreateRoomPayload {
  return {
    name: o.name,
    start_pos: o.startPosition ?? 0,
    ...(o.mediaUrl ? { media_url: o.mediaUrl } : {}),
    ...(o.mediaId ? { media_id: o.mediaId } : {}),
    ...(o.mediaTitle ? { media_title: o.mediaTitle } : {}),
    ...(o.private ? { private: true } : {}),
    ...(o.settings ? { settings: o.settings } : {}),
    ...(o.password ? { password: o.password } : {}),
  };
}

/** Lists the public rooms; resolves with the server's `room_list`. */
export async function requestRoomList(connection: PartyConnection): Promise<RoomSummary[]> {
  const got = nextMessage(connection, "room_list");
  await connection.request("list_rooms", {}, "");
  return (await got).payload as RoomSummary[];
}

/** A room's name, host, title and whether it has a password, without joining; rejects with room_not_found. */
export async function requestRoomInfo(connection: PartyConnection, roomId: string): Promise<RoomInfoPayload> {
  let off = () => {};
  const got = new Promise<RoomInfoPayload>((resolve) => {
    off = connection.on("message", (m) => {
      if (m.type === "room_info" && m.room === roomId) resolve(m.payload);
    });
  });
  try {
    await connection.request("room_info", {}, roomId);
    return await got;
  } finally {
    off();
  }
}

function nextMessage(connection: PartyConnection, type: ServerMessage["type"]): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const off = connection.on("message", (m) => {
      if (m.type === type) {
        off();
        resolve(m);
      }
    });
  });
}
