/**
 * The engine's moves that put the player on the room's timeline: a seek
 * aimed ahead by the learned seek latency and followed by a start at the
 * line's instant, a start of a still player, the scheduled play or pause
 * at a transition's instant, and rate requests. Each move also plans what
 * follows it: a landing check, the catch-up window, fresh offset readings.
 * The policy of when to move is the TimelineFollower's; the hands are the
 * PlayerDriver's.
 */
import { atEnd, type Timeline } from "../../protocol/index.js";
import type { Player } from "../player.js";
import type { SyncEngineTunables } from "./engine-options.js";
import type { EngineClock, SyncState } from "./engine-types.js";
import type { FollowState } from "./follow-state.js";
import type { LandingCheck } from "./landing-check.js";
import { playerAtItsEnd } from "./media-end.js";
import type { OffsetMeter } from "./offset-meter.js";
import type { LandingKind, PlayerDriver } from "./player-driver.js";
import type { RateController } from "./rate-controller.js";
import type { TransitionTimer } from "./transition-timer.js";

/** A seek on a still player aims this much further ahead than its learned latency and twice its spread, ms. */
const PAUSED_SEEK_MARGIN_MS = 50;

/** The engine's parts the moves use; the SyncEngine makes them. */
export interface MoveParts {
  t: SyncEngineTunables;
  player: Player;
  clock: EngineClock;
  state: FollowState;
  meter: OffsetMeter;
  rate: RateController;
  driver: PlayerDriver;
  landing: LandingCheck;
  transitions: TransitionTimer;
  setState: (state: SyncState) => void;
  /** Look at the player again (the TimelineFollower's tick). */
  evaluate: () => void;
}

export class PlayerMoves {
  constructor(private readonly p: MoveParts) {}

  /** Whether the player told a change of the viewer's it showed before its event (see Player.checkUserChanges). */
  viewerActed(): boolean {
    return this.p.player.checkUserChanges?.() === true;
  }

  /**
   * Seek a still player, then start it at the instant the timeline reaches
   * the landing spot. Waiting is cheap, so the aim is generous; an early
   * landing just waits, which makes the result independent of seek jitter.
   */
  seekThenStart(eff: Timeline, serverNow: number): void {
    const { driver, clock, state } = this.p;
    const startDelayMs = driver.startDelay.ms;
    // A seek command scheduled ahead: land early and jump with everyone at its instant.
    const untilInstantMs = eff.anchor_server_ts - serverNow - startDelayMs;
    const seek = driver.seekLatency;
    const waitMs = Math.max(seek.ms + 2 * seek.spreadMs + PAUSED_SEEK_MARGIN_MS, untilInstantMs);
    this.seekTo(state.targetAt(eff, serverNow + waitMs + startDelayMs), clock.now() + waitMs);
  }

  /** Seek to `position` (s); with `playAtLocalMs`, start there at that local instant if the line still plays. */
  seekTo(position: number, playAtLocalMs: number | null): void {
    this.p.rate.reset();
    if (this.p.state.next) this.applyRate(this.p.state.next.rate);
    this.p.driver.seekTo(position, playAtLocalMs, () => this.playingNow());
    this.p.setState("seeking");
  }

  /** Start a still player where it stands (it is close enough); where it lands is checked once it settles. */
  startStill(nowMs: number): void {
    this.p.driver.play();
    this.p.landing.afterStart(nowMs, "settle");
    this.p.state.openCatchUp(nowMs);
    this.p.meter.reset();
  }

  /** The driver's seek landed (see PlayerDriver); null: landed still. */
  onLanded(kind: LandingKind | null): void {
    const { meter, landing, clock, state } = this.p;
    meter.reset();
    landing.afterSeek(clock.now(), kind);
    if (kind !== null) state.openCatchUp(clock.now());
    this.p.evaluate();
  }

  /**
   * A start's media runs steadily (the driver just measured its delay): its
   * landing is checked now, on a fresh reading, instead of at start delay +
   * settleMs (a guess at when it settles, 50–100 ms later in Chromium), and
   * the readings taken while it stood still are dropped from the filter.
   */
  onStartSteady(): void {
    if (this.p.state.stopped || !this.p.landing.startSteady(this.p.clock.now())) return;
    this.p.meter.reset();
    this.p.evaluate();
  }

  /** The scheduled instant of `timeline` is here (see TransitionTimer): pause, or start a player standing at its position. */
  fireTransition(timeline: Timeline): void {
    const { player, driver, state, transitions, clock } = this.p;
    if (state.stopped || this.viewerActed()) return;
    if (timeline !== state.next || driver.seekInFlight || player.isBuffering()) return;
    if (timeline.play_state === "paused") {
      // The clock estimate may have moved since the timer was set: until the
      // instant has passed by our clock too, do not "correct" the pause away.
      transitions.fired = timeline;
      void player.pause();
      return this.p.evaluate();
    }
    const at = (player.getPosition() - timeline.position) * 1000 - state.extraOffsetMs;
    if (!player.isPaused() || Math.abs(at) > this.p.t.pausedSeekThresholdMs || playerAtItsEnd(player)) return this.p.evaluate();
    transitions.fired = timeline;
    driver.play();
    this.p.meter.reset();
    this.p.landing.afterStart(clock.now(), "start");
    state.openCatchUp(clock.now());
    this.p.setState("waiting");
  }

  /** Asks the driver for `rate`; what the player applies goes back to the rate policy. */
  applyRate(rate: number, requestedDelta = 0, baseRate = rate, pitchFree = this.pitchFreeAt(rate)): void {
    this.p.driver.applyRate(rate, (applied) => this.p.rate.applied(requestedDelta, applied / baseRate - 1), pitchFree);
  }

  /**
   * Corrections of a room playing at 1× may move the pitch briefly (up to
   * pitchFreeMaxRateDelta) on a player that resamples them without a step;
   * a room rate someone chose keeps its pitch.
   */
  pitchFreeAt(roomRate: number): boolean {
    return this.p.player.pitchFreeRates === true && roomRate === 1 && this.p.t.pitchFreeMaxRateDelta > 0;
  }

  /** Whether the room's newest line plays (a start planned before a pause arrived is stale). */
  private playingNow(): boolean {
    const next = this.p.state.next;
    if (this.p.state.stopped || this.viewerActed()) return false;
    return next?.play_state === "playing" && !atEnd(next, this.p.clock.serverNow()) && !playerAtItsEnd(this.p.player);
  }
}
