/**
 * SyncEngine: keeps one player on the room's timeline. Isomorphic; owns all
 * correction policy (adapters only read, act and report). Every tick it
 * compares the player with the effective timeline at the estimated server
 * time: inside a deadzone it leaves the player alone, near it bends the
 * playback rate gently, far from it seeks, aimed ahead by the player's
 * learned seek latency. Play/pause transitions fire at their scheduled
 * instant. The viewer's own actions become room commands when they may
 * control the room, and are undone otherwise. docs/sync.md explains the
 * policy and every constant; its parts live in ./sync/.
 */
import type { Timeline } from "../protocol/index.js";
import { Emitter } from "./emitter.js";
import type { Player, PlayerEvents, Unsubscribe } from "./player.js";
import { CommandHold } from "./sync/command-hold.js";
import {
  clampExtraOffsetMs,
  playerDriverOptions,
  rateControllerOptions,
  resolveTunables,
  type SyncPolicyOptions,
} from "./sync/engine-options.js";
import type { EngineClock, EngineSend, SyncEngineEvents, SyncState, SyncStatus } from "./sync/engine-types.js";
import { FollowState } from "./sync/follow-state.js";
import { LandingCheck } from "./sync/landing-check.js";
import type { LatencyEstimator } from "./sync/latency-estimator.js";
import { OffsetMeter } from "./sync/offset-meter.js";
import { PlayerDriver } from "./sync/player-driver.js";
import { PlayerMoves } from "./sync/player-moves.js";
import { RateController } from "./sync/rate-controller.js";
import { ReadyReporter } from "./sync/ready-reporter.js";
import { SyncReporter } from "./sync/sync-reporter.js";
import { type ClockTrouble, TickLoop } from "./sync/tick-loop.js";
import { changesLine, sameTimeline } from "./sync/timeline-change.js";
import { TimelineFollower } from "./sync/timeline-follower.js";
import { TransitionTimer } from "./sync/transition-timer.js";
import { ViewerCommands } from "./sync/viewer-commands.js";

export type { EngineClock, EngineSend, SyncNotice, SyncState, SyncStatus } from "./sync/engine-types.js";
export type { SyncPolicyOptions, SyncEngineTunables } from "./sync/engine-options.js";

export interface SyncEngineOptions {
  player: Player;
  clock: EngineClock;
  send: EngineSend;
  canControl: () => boolean;
  options?: SyncPolicyOptions;
}

export class SyncEngine {
  private readonly player: Player;
  private readonly clock: EngineClock;
  private readonly emitter = new Emitter<SyncEngineEvents>();
  /** The line followed and the standing decisions about it (shared by the parts below). */
  private readonly s: FollowState;
  private readonly meter: OffsetMeter;
  private readonly rate: RateController;
  private readonly driver: PlayerDriver;
  private readonly readiness: ReadyReporter;
  /** The viewer's own commands and speed changes, held until the room answers. */
  private readonly hold: CommandHold;
  private readonly landing: LandingCheck;
  private readonly transitions: TransitionTimer;
  private readonly moves: PlayerMoves;
  private readonly follower: TimelineFollower;
  /** The viewer's own play, pause, seek and speed changes. */
  private readonly viewer: ViewerCommands;
  private readonly ticks: TickLoop;
  private readonly reports: SyncReporter;
  private readonly unsubscribe: Unsubscribe[] = [];
  private state: SyncState = "idle";
  private lastStatus = "";

  constructor(private readonly deps: SyncEngineOptions) {
    const o = deps.options ?? {};
    const t = resolveTunables(o);
    const { player, clock } = deps;
    this.player = player;
    this.clock = clock;
    this.s = new FollowState(o, t.catchUpWindowMs);
    this.meter = new OffsetMeter(t.offsetFilterSize);
    this.rate = new RateController(rateControllerOptions(t));
    this.driver = new PlayerDriver(
      player,
      clock,
      playerDriverOptions(t, o, player.typicalStartDelayMs),
      (kind) => this.moves.onLanded(kind),
      () => this.moves.onStartSteady(),
    );
    this.readiness = new ReadyReporter({
      clock,
      isBuffering: () => player.isBuffering(),
      busy: () => this.ownActionInProgress(),
      position: () => player.getPosition(),
      send: (ready, position) => this.deps.send.ready(ready, position),
      debounceMs: t.readyDebounceMs,
    });
    this.hold = new CommandHold(t.commandHoldTimeoutMs);
    this.landing = new LandingCheck(this.driver, player, t.settleMs);
    this.transitions = new TransitionTimer({
      clock,
      startLeadMs: () => this.driver.startDelay.ms,
      onDue: (timeline) => this.moves.fireTransition(timeline),
    });
    const setState = (state: SyncState) => this.setState(state);
    const parts = { t, player, clock, state: this.s, meter: this.meter, rate: this.rate, driver: this.driver, setState };
    const { landing, transitions, hold } = this;
    this.moves = new PlayerMoves({ ...parts, landing, transitions, evaluate: () => this.follower.evaluate() });
    this.follower = new TimelineFollower({ ...parts, landing, transitions, hold, moves: this.moves });
    this.viewer = new ViewerCommands({
      ...parts,
      hold,
      moves: this.moves,
      send: deps.send,
      canControl: () => this.deps.canControl(),
      notice: (n) => this.emitter.emit("notice", n),
      evaluate: () => this.evaluate(),
    });
    this.unsubscribe.push(
      player.on("user_play", (e) => this.viewer.onUserAction("play", e.position)),
      player.on("user_pause", (e) => this.viewer.onUserAction("pause", e.position)),
      player.on("user_seek", (e) => this.viewer.onUserAction("seek", e.position)),
      player.on("user_rate", (e) => this.viewer.onUserRate(e.rate)),
      player.on("buffering", (e) => this.onBuffering(e)),
      player.on("seeked", (e) => {
        if (!this.driver.seekInFlight && e.latencyMs !== null) this.driver.seekLatency.observeDuration(e.latencyMs);
      }),
    );
    this.ticks = new TickLoop({ clock, tickMs: t.tickIntervalMs, clockGapMs: t.clockGapMs, onTick: (c) => this.onTick(c) });
    this.reports = new SyncReporter({
      clock,
      intervalMs: t.reportIntervalMs,
      offsetMs: () => (this.s.next ? this.meter.rawOffsetMs : null),
      fallbackRttMs: () => this.deps.options?.rttMs?.(),
      seekLatencyMs: () => this.driver.seekLatency.ms,
      send: (r) => this.deps.send.report(r),
    });
  }

  /** Learned seek latency (aim) of this player, ms. */
  get seekLatency(): LatencyEstimator {
    return this.driver.seekLatency;
  }

  /** Learned start delay (play() until media moves), ms. */
  get startDelay(): LatencyEstimator {
    return this.driver.startDelay;
  }

  on<E extends keyof SyncEngineEvents>(event: E, fn: (data: SyncEngineEvents[E]) => void): () => void {
    return this.emitter.on(event, fn);
  }

  status(): SyncStatus {
    return { offsetMs: this.meter.offsetMs, rate: this.player.getRate(), state: this.state };
  }

  setCorrection(enabled: boolean): void {
    this.s.correction = enabled;
    this.rate.reset();
    if (!enabled && this.s.next) this.moves.applyRate(this.s.next.rate);
    this.evaluate();
  }

  setExtraOffset(ms: number): void {
    this.s.extraOffsetMs = clampExtraOffsetMs(ms);
    this.meter.reset();
    this.evaluate();
  }

  /** A timeline from room_state / player_event / state_update / ack, with the one it replaces. */
  setTimeline(next: Timeline, prev?: Timeline): void {
    const s = this.s;
    if (s.stopped || (s.next && sameTimeline(s.next, next))) return;
    const old = s.next;
    if (old && !changesLine(old, next) && next.anchor_server_ts <= this.clock.serverNow()) {
      // The same line re-announced (state_update): nothing to do, keep any correction going.
      s.next = next;
      return;
    }
    this.hold.rateAnswered(next.rate);
    if (this.hold.commandAnswered()) {
      // Our own command came back: the player already shows it, so hold still
      // at its position until its instant instead of following the old line.
      prev = next.play_state === "playing" ? { ...next, play_state: "paused" } : undefined;
    }
    s.prev = prev;
    s.next = next;
    s.explicitAlign = !old || changesLine(old, next);
    this.meter.reset();
    this.rate.reset();
    this.landing.clear();
    this.transitions.schedule(s.prev, s.next);
    this.evaluate();
  }

  /**
   * A pause asked for outside the player (a page button, an API call): stop
   * the player now and hold it while the room answers, like a pause made in
   * the player. Returns the frame it stopped on, s — the room pauses there.
   */
  pauseForCommand(): number {
    return this.viewer.pauseForCommand();
  }

  destroy(): void {
    if (this.s.stopped) return;
    this.s.stopped = true;
    for (const off of this.unsubscribe) off();
    this.driver.stop();
    this.readiness.stop();
    this.ticks.stop();
    this.reports.stop();
    this.transitions.cancel();
    this.emitter.removeAll();
  }

  private evaluate(): void {
    this.follower.evaluate();
  }

  private onTick(trouble: ClockTrouble | null): void {
    if (trouble !== null) this.onClockTrouble(trouble);
    this.evaluate();
  }

  // ───────────── player events ─────────────
  /** The engine's own seek, start, command hold or landing is in progress (a stall now is its doing). */
  private ownActionInProgress(): boolean {
    const d = this.driver;
    if (d.seekInFlight || d.startInFlight || this.hold.holding || this.transitions.armed) return true;
    return this.landing.waiting(this.clock.now());
  }

  private onBuffering(_e: PlayerEvents["buffering"]): void {
    if (this.s.stopped) return;
    this.readiness.update();
    this.meter.reset();
    this.evaluate();
  }

  /**
   * The local clock jumped (back or ahead), or the page or event loop was
   * suspended: the clock estimate and every local instant we planned with
   * are wrong. Start clock sync over, forget the plans, and wait (state
   * "waiting", no reports) until the clock is synced again; then the normal
   * correction puts the player back on the room's timeline — from where it
   * is, never from a start position computed on a wrong clock.
   */
  private onClockTrouble(kind: ClockTrouble): void {
    // A clock that went back is certainly another time base; a gap may be a
    // stalled loop on a good clock, so the estimate is checked, not dropped.
    if (kind === "back" || !this.clock.verify) this.clock.resync?.();
    else this.clock.verify();
    this.driver.abandon();
    this.landing.clear();
    this.hold.restart(this.clock.now());
    this.meter.reset();
    this.rate.reset();
    this.meter.clear();
    this.s.explicitAlign = true;
    this.s.realignAfterClock = true;
    this.transitions.schedule(this.s.prev, this.s.next);
  }

  private setState(state: SyncState): void {
    this.state = state;
    const s = this.status();
    const key = `${s.state}|${s.rate.toFixed(4)}`;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.emitter.emit("status", s);
  }
}
