/**
 * Every message of the protocol: the seed's (`../docs/protocol.md` marks them)
 * and our extensions. One source of wire truth: nothing else defines a type
 * name or a payload shape. Field names follow the seed (snake_case) and,
 * for extensions, OpenWatchParty where it has a name.
 */
import type { ErrorCode } from "./errors.js";
import type { PlayState, Timeline } from "./timeline.js";

/** Types a client may send. */
export const ClientTypes = {
  LIST_ROOMS: "list_rooms",
  CREATE_ROOM: "create_room",
  JOIN_ROOM: "join_room",
  PLAYER_EVENT: "player_event",
  STATE_UPDATE: "state_update",
  PING: "ping",
  // extensions
  LEAVE_ROOM: "leave_room",
  CHAT_MESSAGE: "chat_message",
  HELLO: "hello",
  RESUME: "resume",
  READY: "ready",
  TRANSFER_HOST: "transfer_host",
  ROOM_SETTINGS: "room_settings",
  SYNC_REPORT: "sync_report",
  // ext (party page): peek at a room before joining; the page is going away
  ROOM_INFO: "room_info",
  LEAVING: "leaving",
  // ext: the media's duration as a member's player learned it (media end, issue 10)
  MEDIA_INFO: "media_info",
} as const;
export type ClientType = (typeof ClientTypes)[keyof typeof ClientTypes];

/** Types the server sends. */
export const ServerTypes = {
  CLIENT_HELLO: "client_hello",
  ROOM_LIST: "room_list",
  ROOM_STATE: "room_state",
  PARTICIPANTS_UPDATE: "participants_update",
  PLAYER_EVENT: "player_event",
  STATE_UPDATE: "state_update",
  PONG: "pong",
  ERROR: "error",
  // extensions
  ROOM_CLOSED: "room_closed",
  CLIENT_LEFT: "client_left",
  CHAT_MESSAGE: "chat_message",
  HOST_CHANGED: "host_changed",
  ROOM_SETTINGS: "room_settings",
  ACK: "ack",
  RESUMED: "resumed",
  SERVER_SHUTDOWN: "server_shutdown",
  // ext (party page)
  ROOM_INFO: "room_info",
  // issue 9: a member the room stops waiting for
  WAIT_SKIPPED: "wait_skipped",
} as const;
export type ServerType = (typeof ServerTypes)[keyof typeof ServerTypes];

export const PlayerActions = ["play", "pause", "seek"] as const;
export type PlayerAction = (typeof PlayerActions)[number];

export const BufferingPolicies = ["wait", "ignore"] as const;
/** "wait": pause the room while a member buffers (each for at most `wait_timeout_ms`); "ignore": play on. */
export type BufferingPolicy = (typeof BufferingPolicies)[number];

/**
 * The envelope. Clients send `{type, room, payload, ts, client?, id?}`;
 * the server sends `{type, room, client, payload, ts, server_ts}`.
 * `id` (extension): a client-chosen request id; the server answers a message
 * that carries one with `ack {id}` or an `error` whose payload has `ref: id`.
 */
export interface Envelope<T extends string = string, P = unknown> {
  type: T;
  room: string;
  client?: string;
  payload: P;
  ts: number;
  server_ts?: number;
  id?: string | number;
}

// ───────────── client → server payloads ─────────────
export interface CreateRoomPayload {
  start_pos: number;
  name: string;
  /** ext */ display_name?: string;
  /** ext */ media_url?: string;
  /** ext */ media_id?: string;
  /** ext */ media_title?: string;
  /** ext: not listed in room_list */ private?: boolean;
  /** ext */ settings?: Partial<RoomSettings>;
  /** ext: joiners must give this password (a password room is never listed) */ password?: string;
}
export interface JoinRoomPayload {
  /** ext */ display_name?: string;
  /** ext: the room's password, when it has one */ password?: string;
}
export interface PlayerEventPayload {
  action: PlayerAction;
  position: number;
  /** ext: playback rate to apply with the action */ rate?: number;
}
export interface StateUpdatePayload {
  position: number;
  play_state: PlayState;
  /** ext */ rate?: number;
}
export interface PingPayload {
  client_ts: number;
}
export interface ChatMessageInPayload {
  text: string;
  /**
   * ext: the sender's own id for this line (1–64 of `A–Z a–z 0–9 _ -`). A
   * line sent again with the same nonce (its first answer was lost with the
   * connection) is taken once: acked, not shown twice (docs/protocol.md).
   */
  nonce?: string;
}
export interface HelloPayload {
  display_name?: string;
  /** Jellyfin access token, when the server requires one. */
  token?: string;
  /** Protocol version the client speaks. */
  protocol?: number;
}
export interface ResumePayload {
  resume_token: string;
}
export interface ReadyPayload {
  ready: boolean;
  position?: number;
}
export interface TransferHostPayload {
  client_id: string;
}
export type RoomSettingsPayload = Partial<RoomSettings> & {
  media_url?: string | null;
  media_id?: string | null;
  media_title?: string | null;
  name?: string;
  /** ext: where a changed media_url starts, s (default 0) */ start_pos?: number;
};
export interface SyncReportPayload {
  /** Member's position minus the timeline's, ms (positive: ahead). */
  offset_ms: number;
  rtt_ms: number;
  /** Measured seek latency of the member's player, ms. */
  seek_latency_ms?: number;
  /** ext: the browser refused to start playback; the viewer must click. Absent = unchanged. */
  needs_click?: boolean;
  /** Extension (metrics): stalls of the member's player since it joined the room (cumulative count). */
  stalls?: number;
  /** Extension (metrics): seeks the member's sync engine made to correct drift since it joined (cumulative count). */
  corrective_seeks?: number;
  /** ext: the member's media does not load or play (its page names why); the room shows "media problem". Absent = unchanged. */
  media_problem?: boolean;
}
/** ext: empty; the envelope's `room` names the room to describe. */
export type RoomInfoRequestPayload = Record<string, never> | undefined;
/** ext: the page is closing or reloading; keep the seat only for the server's `leaving_grace_ms`. */
export type LeavingPayload = Record<string, never> | undefined;

/** ext: what a member's player learned about the room's media. */
export interface MediaInfoPayload {
  /** The media's duration, s (finite, > 0). */
  duration: number;
}

export interface ClientPayloads {
  list_rooms: Record<string, never> | undefined;
  create_room: CreateRoomPayload;
  join_room: JoinRoomPayload | undefined;
  player_event: PlayerEventPayload;
  state_update: StateUpdatePayload;
  ping: PingPayload;
  leave_room: Record<string, never> | undefined;
  chat_message: ChatMessageInPayload;
  hello: HelloPayload;
  resume: ResumePayload;
  ready: ReadyPayload;
  transfer_host: TransferHostPayload;
  room_settings: RoomSettingsPayload;
  sync_report: SyncReportPayload;
  room_info: RoomInfoRequestPayload;
  leaving: LeavingPayload;
  media_info: MediaInfoPayload;
}

// ───────────── server → client payloads ─────────────
export interface RoomSettings {
  /** Everyone may play/pause/seek, not only the host. */
  shared_control: boolean;
  buffering_policy: BufferingPolicy;
  /** How long the room waits for one buffering member before going on, ms. */
  wait_timeout_ms: number;
}

export interface RoomSummary {
  id: string;
  name: string;
  count: number;
  /** ext */ media_title?: string | null;
}

export interface ParticipantSync {
  offset_ms: number;
  rtt_ms: number;
  at_server_ts: number;
}

export interface Participant {
  id: string;
  name: string;
  is_host: boolean;
  /** false while the member is within its resume grace after a drop. */
  connected: boolean;
  /** false while the member reports buffering. */
  ready: boolean;
  joined_at: number;
  sync: ParticipantSync | null;
  /** Jellyfin user id, when authenticated. */
  user_id?: string | null;
  /** ext: the browser refused to start playback until the viewer clicks */ needs_click?: boolean;
  /** ext: the member's media does not load or play (sync_report `media_problem`) */ media_problem?: boolean;
}

export interface ChatEntry {
  id: string;
  client_id: string;
  name: string;
  text: string;
  server_ts: number;
  /** ext: the sender's nonce, when it gave one (its pending line is this one) */ nonce?: string;
}

export interface ClientHelloPayload {
  client_id: string;
  /** ext */ protocol: number;
  /** ext: secret to present in `resume` after a reconnect */ resume_token: string;
  /** ext */ resume_grace_ms: number;
  /** ext */ server_ts: number;
  /** ext: whether the server requires `hello {token}` */ auth_required: boolean;
  /** ext */ limits: PublicLimits;
  /** ext: base URL for invite links (`--public-url`), or null */ public_url?: string | null;
  /** ext: the server's guess of its address on the local network (http://ip:port/), or null */ lan_url?: string | null;
  /** ext: how long a member that sent `leaving` keeps its seat, ms */ leaving_grace_ms?: number;
}

export interface PublicLimits {
  max_message_bytes: number;
  max_messages_per_second: number;
  max_name_length: number;
  max_chat_length: number;
  max_members_per_room: number;
}

export interface RoomStatePayload {
  name: string;
  host_id: string;
  participant_count: number;
  /** Seed: `state.position` is where playback is now (s). */
  state: { position: number; play_state: PlayState; rate: number; server_ts: number };
  /** ext */ timeline: Timeline;
  /** ext */ settings: RoomSettings;
  /** ext */ participants: Participant[];
  /** ext: recent chat, oldest first */ chat: ChatEntry[];
  /** ext */ media_id: string | null;
  /** ext */ media_url: string | null;
  /** ext */ media_title: string | null;
  /** ext: ids of members the room is waiting for */ waiting_for: string[];
  /** ext: scheduling lead the server currently uses, ms */ lead_ms: number;
  /** ext: the receiving client's id */ you: string;
}

export interface ParticipantsUpdatePayload {
  participant_count: number;
  /** ext */ participants: Participant[];
  /** ext */ host_id: string;
  /** ext */ waiting_for: string[];
}

export interface PlayerEventOutPayload {
  action: PlayerAction;
  /** Position (s) at `target_server_ts`. */
  position: number;
  /** ext: server instant at which every member applies the action */ target_server_ts: number;
  /** ext: the room's timeline from `target_server_ts` on */ timeline: Timeline;
  /** ext: who caused it: a client id, or "server" (buffering wait) */ by: string;
  /** ext; "ended": the room reached the media's duration and stopped there; "rate" (issue 9): only the rate changed */
  reason?: "user" | "buffering" | "buffering_timeout" | "ended" | "rate" | "media";
}

export interface StateUpdateOutPayload {
  position: number;
  play_state: PlayState;
  /** ext */ timeline: Timeline;
}

export interface PongPayload {
  client_ts: number;
  /** ext: server clock when the ping arrived, ms */ server_rx_ts: number;
  /** ext: server clock when the pong left, ms */ server_tx_ts: number;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** ext: the `id` of the message refused, when it had one */ ref?: string | number;
  /** ext: the type of the message refused */ type?: string;
  /** ext: validation details */ details?: string[];
  /** ext: when to retry, ms */ retry_after_ms?: number;
}

export interface RoomClosedPayload {
  reason: "empty" | "closed" | "shutdown";
}
export interface ClientLeftPayload {
  client_id: string;
  reason: "left" | "disconnected" | "expired" | "joined_other_room";
}
export interface HostChangedPayload {
  host_id: string;
  previous_host_id: string | null;
  reason: "transfer" | "host_left" | "host_disconnected";
}
export type RoomSettingsOutPayload = RoomSettings & {
  name: string;
  media_url: string | null;
  media_id: string | null;
  media_title: string | null;
};
export interface AckPayload {
  id: string | number;
  /** ext: for player_event, when it takes effect */ target_server_ts?: number;
  timeline?: Timeline;
}
export interface ResumedPayload {
  client_id: string;
  room: string | null;
  resume_token: string;
}
/** ext: answer to `room_info`: what an invite page shows before asking for a name. */
export interface RoomInfoPayload {
  id: string;
  name: string;
  host_name: string;
  media_title: string | null;
  count: number;
  /** Joining needs a password. */
  password: boolean;
}
export interface ServerShutdownPayload {
  reconnect_after_ms: number;
}
/** ext (issue 9): the room no longer waits for this member's stalls. */
export interface WaitSkippedPayload {
  client_id: string;
  /** "stall_cap": its stalls paused the room `pauses` times within `window_ms`. */
  reason: "stall_cap";
  pauses: number;
  window_ms: number;
}

export interface ServerPayloads {
  client_hello: ClientHelloPayload;
  room_list: RoomSummary[];
  room_state: RoomStatePayload;
  participants_update: ParticipantsUpdatePayload;
  player_event: PlayerEventOutPayload;
  state_update: StateUpdateOutPayload;
  pong: PongPayload;
  error: ErrorPayload;
  room_closed: RoomClosedPayload;
  client_left: ClientLeftPayload;
  chat_message: ChatEntry;
  host_changed: HostChangedPayload;
  room_settings: RoomSettingsOutPayload;
  ack: AckPayload;
  resumed: ResumedPayload;
  server_shutdown: ServerShutdownPayload;
  room_info: RoomInfoPayload;
  wait_skipped: WaitSkippedPayload;
}

export type ServerMessage = {
  [K in ServerType]: Envelope<K, ServerPayloads[K]> & { client: string; server_ts: number };
}[ServerType];

export type ClientMessage = {
  [K in ClientType]: Envelope<K, ClientPayloads[K]>;
}[ClientType];

export type ServerMessageOf<K extends ServerType> = Extract<ServerMessage, { type: K }>;
