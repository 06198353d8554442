/**
 * Sending a request the server takes once (it carries its own key, such as
 * chat_message `nonce`) until it is taken. Such a request's fate is unknown
 * when the connection drops after it was written, or the server stalls past
 * `requestTimeoutMs` (a suspended host, a long GC, a congested link): it may
 * have been applied. Sent again under the same key, the server acks it
 * without applying it twice; given up, the user would be told "failed"
 * about something everyone saw.
 */
import type { AckPayload } from "../../protocol/index.js";
import { PartyError } from "../errors.js";
import type { ConnectionTimers } from "./connection-types.js";

/** The pause before the first resend, ms; it doubles up to RESEND_MAX_PAUSE_MS (a failure that comes at once, such as a socket still closing, must not spin). */
const RESEND_FIRST_PAUSE_MS = 100;
const RESEND_MAX_PAUSE_MS = 2000;

/** Failures after which a written request may have been applied. */
const UNKNOWN_OUTCOME = new Set(["timeout", "disconnected"]);

/**
 * Runs `send` (a request that waits for the connection), and again after
 * each "timeout" / "disconnected" failure (after a pause: 100 ms, doubling
 * up to 2 s), until one is acked or `windowMs`
 * (ms, from the first send) has passed; not after a failure to send at all
 * (`notSent`: no connection within the offline wait, which is as long),
 * and not once `taken()` says the server has it by other means (the room's
 * echo of a chat line: on a link slower than `requestTimeoutMs` every ack
 * comes back after its request gave up). Resolves with the ack, or null
 * when `taken()`; rejects with a coded refusal at once, or with the last
 * failure.
 */
export async function sendUntilTaken(
  send: () => Promise<AckPayload>,
  timers: ConnectionTimers,
  windowMs: number,
  taken: () => boolean = () => false,
): Promise<AckPayload | null> {
  let expired = false;
  const timer = timers.setTimeout(() => {
    expired = true;
  }, windowMs);
  try {
    for (let pauseMs = RESEND_FIRST_PAUSE_MS; ; pauseMs = Math.min(2 * pauseMs, RESEND_MAX_PAUSE_MS)) {
      try {
        return await send();
      } catch (err) {
        if (taken()) return null;
        if (!(err instanceof PartyError) || err.notSent || !UNKNOWN_OUTCOME.has(err.code) || expired) throw err;
      }
      await new Promise<void>((resolve) => timers.setTimeout(resolve, pauseMs));
    }
  } finally {
    timers.clearTimeout(timer);
  }
}
