/**
 * SyncEngine: keeps one player on the room's timeline. Isomorphic; owns all
 * correction policy (adapters only read, act and report). Every tick it
 * compares the player with the effective timeline at the estimated server
 * time: inside a deadzone it leaves the player alone, near it bends the
 * playback rate gently, far from it seeks, aimed ahead by the player's
 * learned seek latency. Play/pause transitions fire at their scheduled
 * instant. The viewer's own actions become room commands when they may
 * control the room, and are undone otherwise. docs/sync.md explains the
 * policy and every constant; its parts live in ./sync/ (engine-core.ts
 * says which module holds what).
 */
import type { Timeline } from "../protocol/index.js";
import { Emitter } from "./emitter.js";
import type { Player, PlayerEvents, Unsubscribe } from "./player.js";
import { type EngineCore, resetFilter, status } from "./sync/engine-core.js";
import {
  clampExtraOffsetMs,
  playerDriverOptions,
  rateControllerOptions,
  resolveTunables,
  type SyncPolicyOptions,
} from "./sync/engine-options.js";
import { scheduleReport, scheduleTick } from "./sync/engine-timers.js";
import type { EngineClock, EngineSend, SyncEngineEvents, SyncStatus } from "./sync/engine-types.js";
import type { LatencyEstimator } from "./sync/latency-estimator.js";
import { OffsetFilter } from "./sync/offset-filter.js";
import { PlayerDriver } from "./sync/player-driver.js";
import { applyRate, onLanded, onStartSteady, ownActionInProgress } from "./sync/player-moves.js";
import { RateController } from "./sync/rate-controller.js";
import { ReadyReporter } from "./sync/ready-reporter.js";
import { evaluate } from "./sync/timeline-follower.js";
import { changesLine, sameTimeline } from "./sync/timeline-change.js";
import { scheduleTransition } from "./sync/transitions.js";
import { onUserAction, onUserRate, pauseForCommand } from "./sync/viewer-commands.js";

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
  /** The engine's state and parts, shared by its modules in ./sync/. */
  private readonly c: EngineCore;
  private readonly unsubscribe: Unsubscribe[] = [];

  constructor(deps: SyncEngineOptions) {
    const o = deps.options ?? {};
    const t = resolveTunables(o);
    const { player, clock } = deps;
    // Until measured, the start delay is the player's typical one unless the options name one.
    const driver = new PlayerDriver(
      player,
      clock,
      playerDriverOptions(t, o, player.typicalStartDelayMs),
      (kind, untimed) => onLanded(c, kind, untimed),
      () => onStartSteady(c),
    );
    const c: EngineCore = {
      deps,
      t,
      player,
      clock,
      emitter: new Emitter<SyncEngineEvents>(),
      filter: new OffsetFilter(t.offsetFilterSize),
      rate: new RateController(rateControllerOptions(t)),
      driver,
      readiness: new ReadyReporter({
        clock,
        isBuffering: () => player.isBuffering(),
        busy: () => ownActionInProgress(c),
        position: () => player.getPosition(),
        send: (ready, position) => deps.send.ready(ready, position),
        debounceMs: t.readyDebounceMs,
      }),
      evaluate: () => evaluate(c),
      pendingRate: null,
      next: undefined,
      prev: undefined,
      correction: o.correction ?? true,
      extraOffsetMs: clampExtraOffsetMs(o.extraOffsetMs ?? 0),
      tickTimer: null,
      lastTickAtMs: null,
      realignAfterClock: false,
      reportTimer: null,
      transitionTimer: null,
      transitionDueMs: 0,
      transitionFired: null,
      transitionPending: false,
      landing: null,
      catchUpUntilMs: Number.NEGATIVE_INFINITY,
      rateLog: [],
      entryWatch: null,
      holdUntilMs: null,
      heldForPlay: false,
      explicitAlign: false,
      offsetMs: null,
      rawOffsetMs: null,
      state: "idle",
      lastStatus: "",
      destroyed: false,
    };
    this.c = c;
    this.unsubscribe.push(
      player.on("user_play", (e) => onUserAction(c, "play", e.position, e.toggleKey === true && e.beforeOwnPause !== true)),
      player.on("user_pause", (e) => onUserAction(c, "pause", e.position)),
      player.on("user_seek", (e) => onUserAction(c, "seek", e.position)),
      player.on("user_rate", (e) => onUserRate(c, e.rate)),
      player.on("buffering", (e) => this.onBuffering(e)),
      player.on("seeked", (e) => {
        if (!driver.seekInFlight && e.latencyMs !== null) driver.seekLatency.observeDuration(e.latencyMs);
      }),
    );
    scheduleTick(c);
    scheduleReport(c);
  }

  /** Learned seek latency (aim) of this player, ms. */
  get seekLatency(): LatencyEstimator {
    return this.c.driver.seekLatency;
  }

  /** Learned start delay (play() until media moves), ms. */
  get startDelay(): LatencyEstimator {
    return this.c.driver.startDelay;
  }

  on<E extends keyof SyncEngineEvents>(event: E, fn: (data: SyncEngineEvents[E]) => void): () => void {
    return this.c.emitter.on(event, fn);
  }

  status(): SyncStatus {
    return status(this.c);
  }

  setCorrection(enabled: boolean): void {
    const c = this.c;
    c.correction = enabled;
    c.rate.reset();
    if (!enabled && c.next) applyRate(c, c.next.rate);
    evaluate(c);
  }

  setExtraOffset(ms: number): void {
    this.c.extraOffsetMs = clampExtraOffsetMs(ms);
    resetFilter(this.c);
    evaluate(this.c);
  }

  /** A timeline from room_state / player_event / state_update / ack, with the one it replaces. */
  setTimeline(next: Timeline, prev?: Timeline): void {
    const c = this.c;
    if (c.destroyed || (c.next && sameTimeline(c.next, next))) return;
    const old = c.next;
    if (old && !changesLine(old, next) && next.anchor_server_ts <= c.clock.serverNow()) {
      // The same line re-announced (state_update): nothing to do, keep any correction going.
      c.next = next;
      return;
    }
    if (c.pendingRate && next.rate === c.pendingRate.rate) c.pendingRate = null;
    if (c.holdUntilMs !== null) {
      // Our own command came back: the player already shows it, so hold still
      // at its position until its instant instead of following the old line.
      c.holdUntilMs = null;
      prev = next.play_state === "playing" ? { ...next, play_state: "paused" } : undefined;
    }
    c.prev = prev;
    c.next = next;
    c.explicitAlign = !old || changesLine(old, next);
    resetFilter(c);
    c.rate.reset();
    c.landing = null;
    scheduleTransition(c);
    evaluate(c);
  }

  /**
   * A pause asked for outside the player (a page button, an API call): stop
   * the player now and hold it while the room answers, like a pause made in
   * the player. Returns the frame it stopped on, s — the room pauses there.
   */
  pauseForCommand(): number {
    return pauseForCommand(this.c);
  }

  destroy(): void {
    const c = this.c;
    if (c.destroyed) return;
    c.destroyed = true;
    for (const off of this.unsubscribe) off();
    c.driver.stop();
    c.readiness.stop();
    for (const h of [c.tickTimer, c.reportTimer, c.transitionTimer]) if (h !== null) c.clock.clearTimeout(h);
    c.tickTimer = c.reportTimer = c.transitionTimer = null;
    c.emitter.removeAll();
  }

  private onBuffering(_e: PlayerEvents["buffering"]): void {
    const c = this.c;
    if (c.destroyed) return;
    c.readiness.update();
    resetFilter(c);
    evaluate(c);
  }
}
