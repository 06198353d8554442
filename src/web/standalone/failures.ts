/**
 * Words for an action that finally failed (the SDK already waited for a
 * reconnect and retried rate limits): what did not happen, and why, so
 * nothing a viewer did is lost without a word.
 */
import { PartyError } from "../../client/index.js";

const WHY: Record<string, string> = {
  disconnected: "the party server could not be reached",
  closed: "the connection to the party server is closed",
  timeout: "the party server did not answer",
  rate_limited: "too many actions at once; wait a moment and try again",
  not_in_room: "you are no longer in the room",
  cluster_unavailable: "the party server lost its shared store for a moment; try again",
  server_stalled: "the party server stood still and did not apply it; try again",
};

/** Why a request failed, in words, without a final full stop. */
export function failureReason(err: unknown): string {
  const why = err instanceof PartyError ? (WHY[err.code] ?? err.message) : err instanceof Error ? err.message : String(err);
  return why.replace(/\.$/, "");
}

/** "Pause did not happen: the party server could not be reached." */
export function failureText(what: string, err: unknown): string {
  return `${what} did not happen: ${failureReason(err)}.`;
}
