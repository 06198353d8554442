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
  /** Drop the estimate and measure again: the engine saw the local clock jump or the page stall (a ClockSync fits). */
  resync?(): void;
  /** Check the estimate with fresh samples; `synced` is false meanwhile (a ClockSync fits). */
  verify?(): void;
}

export interface EngineSend {
  /** A room command; `rate` (with the action repeating the room's state) changes the room's rate. */
  command(action: PlayerAction, position: number, rate?: number): void;
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

/** Something the viewer should be told about their own action. */
export type SyncNotice = RateRevertedNotice | ActionRevertedNotice;

/** The viewer changed the speed but may not control the room; their player is back at the room's rate. */
export interface RateRevertedNotice {
  kind: "rate_reverted";
  /** Why: "not_controller" (only the host, or anyone with shared control, sets the room's speed). */
  reason: "not_controller";
  /** The rate the viewer asked for and the room's rate they are back at. */
  requestedRate: number;
  roomRate: number;
}

/**
 * The viewer played, paused or jumped in their player but may not control
 * the room; their player goes back to the room's timeline. Only for an
 * action that differs from what the room does (a play while it plays says nothing).
 */
export interface ActionRevertedNotice {
  kind: "action_reverted";
  reason: "not_controller";
  action: "play" | "pause" | "seek";
  /** Where the viewer's player was when they acted (for a seek: where they jumped to), s. */
  position: number;
  /** Whether the room is playing (the player goes back to that). */
  roomPlaying: boolean;
}

export interface SyncEngineEvents {
  status: SyncStatus;
  notice: SyncNotice;
}
