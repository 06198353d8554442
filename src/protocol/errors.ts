/**
 * The one error table. Every refusal the server sends is `error {code, message}`
 * with a code from here. Codes are stable: a retired code is never reused.
 * `docs/errors.md` has a row per code; `test/unit/protocol/errors.test.ts` pins it.
 */
export const ErrorCodes = {
  BAD_JSON: "bad_json",
  BINARY_FRAME: "binary_frame",
  FRAME_TOO_LARGE: "frame_too_large",
  INVALID_MESSAGE: "invalid_message",
  UNKNOWN_TYPE: "unknown_type",
  INVALID_PAYLOAD: "invalid_payload",
  RATE_LIMITED: "rate_limited",
  ROOM_NOT_FOUND: "room_not_found",
  NOT_IN_ROOM: "not_in_room",
  WRONG_ROOM: "wrong_room",
  ROOM_FULL: "room_full",
  TOO_MANY_ROOMS: "too_many_rooms",
  NOT_HOST: "not_host",
  NOT_A_MEMBER: "not_a_member",
  AUTH_REQUIRED: "auth_required",
  AUTH_FAILED: "auth_failed",
  AUTH_UNAVAILABLE: "auth_unavailable",
  FORBIDDEN: "forbidden",
  RESUME_FAILED: "resume_failed",
  SERVER_SHUTTING_DOWN: "server_shutting_down",
  INTERNAL_ERROR: "internal_error",
  // ext (party page): password rooms
  PASSWORD_REQUIRED: "password_required",
  WRONG_PASSWORD: "wrong_password",
  // Abuse limits (issue 11).
  TOO_MANY_CONNECTIONS: "too_many_connections",
  SERVER_FULL: "server_full",
  TOO_MANY_ROOMS_HELD: "too_many_rooms_held",
  JSON_TOO_COMPLEX: "json_too_complex",
  // Cluster mode (issue 12).
  CLUSTER_UNAVAILABLE: "cluster_unavailable",
  // Server process stood still (SIGSTOP, suspended VM): a stale command is not applied.
  SERVER_STALLED: "server_stalled",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Default human-readable message per code; handlers may give a more specific one. */
export const ErrorMessages: Readonly<Record<ErrorCode, string>> = {
  bad_json: "The frame is not valid JSON.",
  binary_frame: "Binary frames are not part of the protocol; send JSON text.",
  frame_too_large: "The frame exceeds the server's size limit.",
  invalid_message: "The message is not an object with a string `type`.",
  unknown_type: "Unknown message type.",
  invalid_payload: "The payload does not match the message's schema.",
  rate_limited: "Too many messages; slow down.",
  room_not_found: "No room with that id.",
  not_in_room: "Join a room first.",
  wrong_room: "The message names a room this connection is not in.",
  room_full: "The room has reached its member limit.",
  too_many_rooms: "The server has reached its room limit.",
  not_host: "Only the host may do that in this room.",
  not_a_member: "That client is not a member of this room.",
  auth_required: "This server requires a Jellyfin access token.",
  auth_failed: "The access token was refused.",
  auth_unavailable: "The identity provider could not be reached; try again.",
  forbidden: "Your account is not allowed to do that.",
  resume_failed: "The session cannot be resumed; it expired or the token is wrong.",
  server_shutting_down: "The server is shutting down.",
  internal_error: "The server failed to handle the message.",
  password_required: "This room has a password; send it in join_room's `password`.",
  wrong_password: "The room's password does not match.",
  too_many_connections: "Too many connections from your address; close some and retry.",
  server_full: "The server has reached its connection limit; retry later.",
  too_many_rooms_held: "Your address already holds the most open rooms allowed; leave one, or wait: a room whose members all disconnected counts until its resume grace ends.",
  json_too_complex: "The message nests too deeply or has too many values.",
  cluster_unavailable: "The server cannot reach the cluster's shared store right now; retry after retry_after_ms.",
  server_stalled: "The server stood still while this command waited to be read; it was not applied. Send it again if it still holds.",
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ErrorMessages, value);
}
