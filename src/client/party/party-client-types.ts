/** The shapes of a PartyClient: its options, room creation options and events. */
import type {
  ChatEntry,
  PlayerAction,
  RoomSettings,
  RoomSummary,
  ServerMessage,
  Timeline,
} from "../../protocol/index.js";
import type { ConnectionState, PartyConnectionOptions } from "../connection.js";
import type { PartyError } from "../errors.js";
import type { RoomChange, RoomView } from "../room-state.js";
import type { SyncEngineOptions, SyncNotice } from "../sync-engine.js";

export interface PartyClientOptions extends PartyConnectionOptions {
  /** Local monotonic clock, ms (default: performance.now). */
  now?: () => number;
  /** Sync engine knobs (correction on/off, extra offset, tunables). */
  sync?: SyncEngineOptions["options"];
}

export interface CreateRoomOptions {
  name: string;
  startPosition?: number;
  mediaUrl?: string;
  mediaId?: string;
  mediaTitle?: string;
  private?: boolean;
  settings?: Partial<RoomSettings>;
  /** Joiners must give this password; the room is then never listed. */
  password?: string;
}

export interface PartyClientEvents {
  connection: { state: ConnectionState };
  room: RoomView | null;
  change: { change: RoomChange; room: RoomView };
  chat: ChatEntry;
  rooms: RoomSummary[];
  /** The room was closed, or we could not get back into it after a drop. */
  left: { reason: string };
  error: PartyError;
  message: ServerMessage;
  /** Our own playback command took effect (the server relays it to the others, not to us). */
  command: { action: PlayerAction; timeline: Timeline; previous: Timeline | undefined; server_ts: number };
  /** An action of this viewer was refused or undone, with why (e.g. code "not_host"). */
  refused: { action: string; code: string; message: string };
  /** Something about the viewer's own action (e.g. a speed change put back because they may not control). */
  notice: SyncNotice;
}
