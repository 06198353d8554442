/**
 * The SyncEngine's state and parts in one plain object, shared by the
 * modules that make up the engine: the tick (timeline-follower.ts), the
 * seeks and starts (player-moves.ts), scheduled transitions
 * (transitions.ts), the viewer's own commands (viewer-commands.ts) and the
 * timers (engine-timers.ts). The functions here are the few every module
 * needs: the status a `status` event reports and the filter reset.
 */
import type { Timeline } from "../../protocol/index.js";
import type { Emitter } from "../emitter.js";
import type { Player } from "../player.js";
import type { SyncEngineTunables, SyncPolicyOptions } from "./engine-options.js";
import type { EngineClock, EngineSend, SyncEngineEvents, SyncState, SyncStatus } from "./engine-types.js";
import type { OffsetFilter } from "./offset-filter.js";
import type { LandingKind, PlayerDriver } from "./player-driver.js";
import type { RateController } from "./rate-controller.js";
import type { ReadyReporter } from "./ready-reporter.js";

/** A pending check of where an action landed. "start": a scheduled start (learns the start delay); seeks learn the seek aim; "settle" only waits, without learning. */
/**
 * Where an action of the engine's lands is checked at `atMs`. `untimed`: the
 * timer that fired it ran more than LATE_TIMER_MS late (a throttled background
 * tab, a stalled page), so its landing error is the timer's, not the
 * player's, and no estimate learns from it.
 */
export type Landing = { atMs: number; kind: LandingKind | "start" | "settle"; untimed?: boolean };

/**
 * A timer of the engine's that fires later than this after its due time did
 * not act when planned: what followed measures the page, not the player, ms.
 * Chromium aligns a hidden tab's timers to whole seconds; a busy page is late
 * by a few ms.
 */
export const LATE_TIMER_MS = 100;

/** What the engine was given (a SyncEngineOptions fits). */
export interface EngineDeps {
  send: EngineSend;
  canControl: () => boolean;
  options?: SyncPolicyOptions;
}

export interface EngineCore {
  readonly deps: EngineDeps;
  readonly t: SyncEngineTunables;
  readonly player: Player;
  readonly clock: EngineClock;
  readonly emitter: Emitter<SyncEngineEvents>;
  readonly filter: OffsetFilter;
  readonly rate: RateController;
  readonly driver: PlayerDriver;
  readonly readiness: ReadyReporter;
  /** One look at the player against the timeline (timeline-follower.ts), for the modules it would import in a circle. */
  readonly evaluate: () => void;
  /** The viewer (a controller) changed the speed: the room's rate until the room answers or the hold times out. */
  pendingRate: { rate: number; untilMs: number } | null;
  /** The room's newest line, and the one it replaces (in force until the newest one's anchor). */
  next: Timeline | undefined;
  prev: Timeline | undefined;
  correction: boolean;
  /** The viewer's own offset from the line, ms (positive: ahead), clamped. */
  extraOffsetMs: number;
  tickTimer: unknown;
  lastTickAtMs: number | null;
  /** Clock trouble was seen: once the clock is synced again, the realignment uses the catch-up law. */
  realignAfterClock: boolean;
  reportTimer: unknown;
  transitionTimer: unknown;
  /** Local instant the transition timer is due, ms. */
  transitionDueMs: number;
  transitionFired: Timeline | null;
  /** A transition could not be scheduled yet because the clock was not synced. */
  transitionPending: boolean;
  landing: Landing | null;
  /** Until this local instant the start error of a start or landing is caught up with the faster law. */
  catchUpUntilMs: number;
  /**
   * The rates asked of a player whose rate changes show late (`rateDelayMs`),
   * with the local instant each was asked, oldest first: what its reads
   * still show and what they do not yet (rate-delay.ts).
   */
  rateLog: Array<{ atMs: number; rate: number }>;
  /** Steps summed over the ticks after a correction left the timeline's rate (see watchEntryStep). */
  entryWatch: { ticks: number; stepMs: number } | null;
  /** A command of the viewer's was sent: the player holds still until the room answers or this local instant. */
  holdUntilMs: number | null;
  /**
   * The engine stopped the player for the viewer's own play (or seek of a
   * playing room) until the room's start: the viewer meant it playing, so a
   * play made in the player meanwhile with a toggle key (Space pressed right
   * after an arrow key) is their toggle of what they meant — a pause
   * (viewer-commands.ts).
   */
  heldForPlay: boolean;
  /** The next look may seek at once (a new line, a timed-out hold, clock trouble), corrections on or off. */
  explicitAlign: boolean;
  /** Filtered offset less the extra offset, ms (positive: ahead); null before a reading. */
  offsetMs: number | null;
  /**
   * The unfiltered offset of the last look at the player, ms: what sync reports
   * tell the server. null while it cannot be read (seeking, buffering, starting,
   * waiting for the room's answer, clock not synced): no report is sent then.
   */
  rawOffsetMs: number | null;
  state: SyncState;
  lastStatus: string;
  destroyed: boolean;
}

export function status(c: EngineCore): SyncStatus {
  return { offsetMs: c.offsetMs, rate: c.player.getRate(), state: c.state };
}

/** Sets the state; a `status` event goes out when the state or the rate (to 4 places) changed. */
export function setState(c: EngineCore, state: SyncState): void {
  c.state = state;
  const s = status(c);
  const key = `${s.state}|${s.rate.toFixed(4)}`;
  if (key === c.lastStatus) return;
  c.lastStatus = key;
  c.emitter.emit("status", s);
}

/** Drops the offset readings so far (they no longer describe the player) and any entry-step watch. */
export function resetFilter(c: EngineCore): void {
  c.filter.reset();
  c.entryWatch = null;
}
