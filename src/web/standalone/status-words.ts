/**
 * One wording of "how am I doing" for the line under the video and for my
 * own row in the member list, built from the same facts and the same words
 * as every other row (describeSync), so the two never disagree: no "in sync"
 * while the connection is lost, no "synced" while the list says "measuring…".
 */
import type { ConnectionState, SyncStatus } from "../../client/index.js";
import { IN_SYNC_MS } from "../../client/sync-status.js";

export interface MyState {
  connection: ConnectionState;
  /** The browser refused to start playback until the viewer clicks. */
  needsClick: boolean;
  /** The media failed to load or play. */
  mediaProblem: boolean;
  /** The sync engine's latest status; null while the media loads. */
  status: SyncStatus | null;
}

export function myStatusWord(s: MyState): string {
  if (s.connection === "connecting") return "connecting…";
  if (s.connection !== "open") return "reconnecting…";
  if (s.mediaProblem) return "media problem";
  if (s.needsClick) return "needs a click";
  if (!s.status) return "loading media…";
  if (s.status.state === "buffering") return "buffering";
  if (s.status.state === "seeking") return "catching up…";
  if (s.status.offsetMs === null || s.status.state === "idle") return "measuring…";
  const ms = Math.round(s.status.offsetMs);
  if (Math.abs(ms) < IN_SYNC_MS) return "in sync";
  return ms < 0 ? `${-ms} ms behind` : `${ms} ms ahead`;
}
