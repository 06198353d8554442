/**
 * One wording of a participant's sync state for every UI (standalone page,
 * Jellyfin panel), from the participant list the server sends.
 */
import type { Participant } from "../protocol/index.js";

/** Within this many ms of the room's timeline a viewer counts as "in sync". */
export const IN_SYNC_MS = 40;

export function describeSync(p: Participant, waitingFor: readonly string[] = []): string {
  if (!p.connected) return "reconnecting…";
  if (p.media_problem) return "media problem";
  if (p.needs_click) return "needs a click";
  if (!p.ready) return waitingFor.includes(p.id) ? "buffering · the room waits" : "buffering";
  if (!p.sync) return "measuring…";
  const ms = Math.round(p.sync.offset_ms);
  if (Math.abs(ms) < IN_SYNC_MS) return "in sync";
  return ms < 0 ? `${-ms} ms behind` : `${ms} ms ahead`;
}
