/**
 * What the gateway allows of a peer's WebSocket control frames, and the
 * reasons it gives when ws refuses a frame.
 *
 * Pings and unsolicited pongs cost the server a little each (a pong to
 * write, an event to handle) and carry no message, so the message rate
 * limit never saw them. ws's own guard against a ping flood (more than 60
 * pongs not yet written) destroyed the socket without a close frame: the
 * flooding client saw 1006 and no reason, and a fast reader was never
 * stopped at all. Now a peer may send control frames at the message rate
 * (`maxMessagesPerSecond`, burst `messageBurst`); past that its socket is
 * closed with 4003 FLOODING. The answers to the server's own heartbeat
 * pings are never counted.
 */
import { CloseCodes } from "../../protocol/index.js";
import { TokenBucket } from "../core/rate-limiter.js";

/** The budget a peer's pings and unsolicited pongs draw on. */
export interface ControlBudget {
  /** Control frames per second, sustained. */
  ratePerSecond: number;
  /** Control frames allowed at once. */
  burst: number;
}

/** The close reason a control-frame flood gets (with CloseCodes.FLOODING). */
export const CONTROL_FLOOD_REASON = "control frame flood";

/**
 * Takes one control frame from `bucket` (made on a peer's first counted
 * frame: most peers never send one, so most never hold a bucket). Returns
 * the bucket to keep, and whether the frame is within the budget.
 */
export function takeControlFrame(bucket: TokenBucket | null, budget: ControlBudget, now: number): { bucket: TokenBucket; ok: boolean } {
  const b = bucket ?? new TokenBucket(budget.ratePerSecond, budget.burst, now);
  return { bucket: b, ok: b.take(now) };
}

/**
 * ws closes a socket on a malformed frame with a code alone (1002 reserved
 * bits, a masking error, a fragmented or oversized control frame, an
 * invalid close code; 1007 invalid UTF-8; 1008 too many fragments; 1009 a
 * frame over the hard limit). The gateway adds these reasons, so a client
 * author reading the close event learns what was wrong (docs/errors.md).
 */
export const PROTOCOL_CLOSE_REASONS: Readonly<Record<number, string>> = {
  1002: "invalid frame (RFC 6455: reserved bits, masking, control frame, opcode or close code)",
  1007: "invalid UTF-8 in a text frame or close reason",
  [CloseCodes.POLICY_VIOLATION]: "too many fragments in one message",
  [CloseCodes.MESSAGE_TOO_BIG]: "frame larger than hardMaxMessageBytes",
};
