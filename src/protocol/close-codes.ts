/**
 * WebSocket close codes the server uses. 1000–1011 are RFC 6455; 4000–4999
 * are this application's. Stable: never reuse a retired code.
 */
export const CloseCodes = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  AUTH_FAILED: 4001,
  /** The session was resumed on another connection. */
  SESSION_REPLACED: 4002,
  /** Sustained flood far beyond the rate limit. */
  FLOODING: 4003,
  /** Reserved, never sent: a peer that stops answering heartbeats is terminated (it sees 1006). docs/errors.md. */
  HEARTBEAT_TIMEOUT: 4004,
  /** The peer could not keep up with its outgoing queue. */
  TOO_SLOW: 4005,
} as const;

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes];
