/** The handler table: one handler per inbound message type. */
import type { ClientPayloads, ClientType } from "../../../protocol/index.js";
import type { Handler } from "./context.js";
import { mediaInfo } from "./media.js";
import { playerEvent, stateUpdate } from "./playback.js";
import { createRoom, joinRoom, leaveRoom, leaving, listRooms, roomInfo } from "./rooms.js";
import { hello, ping, resume } from "./session.js";
import { chatMessage, ready, roomSettings, syncReport, transferHost } from "./social.js";

export const handlers: { [K in ClientType]: Handler<ClientPayloads[K]> } = {
  list_rooms: listRooms,
  create_room: createRoom,
  join_room: joinRoom,
  player_event: playerEvent,
  state_update: stateUpdate,
  ping,
  leave_room: leaveRoom,
  chat_message: chatMessage,
  hello,
  resume,
  ready,
  transfer_host: transferHost,
  room_settings: roomSettings,
  sync_report: syncReport,
  room_info: roomInfo,
  leaving,
  media_info: mediaInfo,
};
