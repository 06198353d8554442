import type { PlayerAction, SyncReportPayload } from "../../protocol/index.js";

/** The clock the engine runs on; a ClockSync fits. */
export interface EngineClock {
  /** Local monotonic time, ms. */
  now(): number;
  /** Estimated server time, ms. */
  serverNow(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Typical round trip to the server, ms, when known. */
  readonly rttMs?: number;
  /** false while serverNow() is not trustworthy yet: the engine waits (a ClockSync fits). */
  readonly synced?: boolean;
}

export interface EngineSend {
  command(action: PlayerAction, position: number): void;
  ready(ready: boolean, position: number): void;
  report(r: SyncReportPayload): void;
}

export type SyncState = "idle" | "synced" | "correcting" | "seeking" | "buffering" | "waiting";

export interface SyncStatus {
  /** Filtered player position minus where it should be, ms (positive: ahead); null before a timeline. */
  offsetMs: number | null;
  /** The player's current rate. */
  rate: number;
  state: SyncState;
}

export interface SyncEngineEvents {
  status: SyncStatus;
}
