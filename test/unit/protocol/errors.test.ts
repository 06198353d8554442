import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CloseCodes, ErrorCodes, ErrorMessages, isErrorCode } from "../../../src/protocol/index.js";

/**
 * The pinned table. Changing a value or removing a code breaks clients:
 * a retired code is never reused. Adding a code means adding it here AND a
 * row in docs/errors.md.
 */
const PINNED_ERROR_CODES = {
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
  PASSWORD_REQUIRED: "password_required",
  WRONG_PASSWORD: "wrong_password",
  TOO_MANY_CONNECTIONS: "too_many_connections",
  SERVER_FULL: "server_full",
  TOO_MANY_ROOMS_HELD: "too_many_rooms_held",
  JSON_TOO_COMPLEX: "json_too_complex",
  CLUSTER_UNAVAILABLE: "cluster_unavailable",
  SERVER_STALLED: "server_stalled",
};

const PINNED_CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  AUTH_FAILED: 4001,
  SESSION_REPLACED: 4002,
  FLOODING: 4003,
  HEARTBEAT_TIMEOUT: 4004,
  TOO_SLOW: 4005,
};

const docs = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8");

test("the error table is exactly the pinned set of codes and values", { timeout: 30_000 }, () => {
  assert.deepEqual({ ...ErrorCodes }, PINNED_ERROR_CODES);
});

test("error code values are unique snake_case strings", { timeout: 30_000 }, () => {
  const values = Object.values(ErrorCodes);
  assert.equal(new Set(values).size, values.length);
  for (const v of values) assert.match(v, /^[a-z][a-z_]*[a-z]$/);
});

test("every code has a non-empty default message, and there is no message without a code", { timeout: 30_000 }, () => {
  assert.deepEqual(Object.keys(ErrorMessages).sort(), Object.values(ErrorCodes).sort());
  for (const [code, message] of Object.entries(ErrorMessages)) {
    assert.ok(message.trim().length > 10, `${code} has a real message`);
    assert.ok(isErrorCode(code));
  }
  assert.equal(isErrorCode("toString"), false);
  assert.equal(isErrorCode("nope"), false);
});

test("every error code has a row in docs/errors.md", { timeout: 30_000 }, () => {
  for (const code of Object.values(ErrorCodes)) {
    assert.match(docs, new RegExp(`^\\| \`${code}\` \\|`, "m"), `docs/errors.md lacks a row for ${code}`);
  }
});

test("the close codes are pinned and each has a row in docs/errors.md", { timeout: 30_000 }, () => {
  assert.deepEqual({ ...CloseCodes }, PINNED_CLOSE_CODES);
  for (const code of Object.values(CloseCodes)) {
    assert.match(docs, new RegExp(`^\\| ${code} \\|`, "m"), `docs/errors.md lacks a row for close code ${code}`);
  }
});
