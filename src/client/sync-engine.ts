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
import { atEnd, effectiveTimeline, positionAt, type Timeline } from "../protocol/index.js";
import { Emitter } from "./emitter.js";
import type { Player, PlayerEvents, Unsubscribe } from "./player.js";
import { CommandHold } from "./sync/command-hold.js";
import {
  clampExtraOffsetMs,
  playerDriverOptions,
  rateControllerOptions,
  resolveTunables,
  type SyncEngineTunables,
  type SyncPolicyOptions,
} from "./sync/engine-options.js";
import type { EngineClock, EngineSend, SyncEngineEvents, SyncState, SyncStatus } from "./sync/engine-types.js";
import { EntryStepWatch } from "./sync/entry-step-watch.js";
import { LandingCheck } from "./sync/landing-check.js";
import type { LatencyEstimator } from "./sync/latency-estimator.js";
import { bothAtEnd, playerAtItsEnd } from "./sync/media-end.js";
import { OffsetFilter } from "./sync/offset-filter.js";
import { type LandingKind, PlayerDriver } from "./sync/player-driver.js";
import { RateController } from "./sync/rate-controller.js";
import { ReadyReporter } from "./sync/ready-reporter.js";
import { SyncReporter } from "./sync/sync-reporter.js";
import { type ClockTrouble, TickLoop } from "./sync/tick-loop.js";
import { changesLine, sameTimeline } from "./sync/timeline-change.js";
import { TransitionTimer } from "./sync/transition-timer.js";
import { intendedRate } from "./sync/user-rate.js";

export type { EngineClock, EngineSend, SyncNotice, SyncState, SyncStatus } from "./sync/engine-types.js";
export type { SyncPolicyOptions, SyncEngineTunables } from "./sync/engine-options.js";

export interface SyncEngineOptions {
  player: Player;
  clock: EngineClock;
  send: EngineSend;
  canControl: () => boolean;
  options?: SyncPolicyOptions;
}

/** A seek on a still player aims this much further ahead than its learned latency and twice its spread, ms. */
const PAUSED_SEEK_MARGIN_MS = 50;

export class SyncEngine {
  private readonly t: SyncEngineTunables;
  private readonly player: Player;
  private readonly clock: EngineClock;
  private readonly emitter = new Emitter<SyncEngineEvents>();
  private readonly filter: OffsetFilter;
  private readonly rate: RateController;
  private readonly driver: PlayerDriver;
  private readonly readiness: ReadyReporter;
  /** The viewer's own commands and speed changes, held until the room answers. */
  private readonly hold: CommandHold;
  private readonly landing: LandingCheck;
  private readonly entryStep = new EntryStepWatch();
  private readonly transitions: TransitionTimer;
  private readonly ticks: TickLoop;
  private readonly reports: SyncReporter;
  private readonly unsubscribe: Unsubscribe[] = [];
  private next: Timeline | undefined;
  private prev: Timeline | undefined;
  private correction: boolean;
  private extraOffsetMs: number;
  /** Clock trouble was seen: once the clock is synced again, the realignment uses the catch-up law. */
  private realignAfterClock = false;
  /** Until this local instant the start error of a start or landing is caught up with the faster law. */
  private catchUpUntilMs = Number.NEGATIVE_INFINITY;
  private explicitAlign = false;
  private offsetMs: number | null = null;
  private rawOffsetMs: number | null = null;
  private state: SyncState = "idle";
  private lastStatus = "";
  private destroyed = false;

  constructor(private readonly deps: SyncEngineOptions) {
    const o = deps.options ?? {};
    this.t = resolveTunables(o);
    this.player = deps.player;
    this.clock = deps.clock;
    this.correction = o.correction ?? true;
    this.extraOffsetMs = clampExtraOffsetMs(o.extraOffsetMs ?? 0);
    this.filter = new OffsetFilter(this.t.offsetFilterSize);
    this.rate = new RateController(rateControllerOptions(this.t));
    this.driver = new PlayerDriver(
      this.player,
      this.clock,
      playerDriverOptions(this.t, o, this.player.typicalStartDelayMs),
      (kind) => this.onLanded(kind),
      () => this.onStartSteady(),
    );
    this.readiness = new ReadyReporter({
      clock: this.clock,
      isBuffering: () => this.player.isBuffering(),
      busy: () => this.ownActionInProgress(),
      position: () => this.player.getPosition(),
      send: (ready, position) => this.deps.send.ready(ready, position),
      debounceMs: this.t.readyDebounceMs,
    });
    this.hold = new CommandHold(this.t.commandHoldTimeoutMs);
    this.landing = new LandingCheck(this.driver, this.player, this.t.settleMs);
    this.transitions = new TransitionTimer({
      clock: this.clock,
      startLeadMs: () => this.driver.startDelay.ms,
      onDue: (timeline) => this.fireTransition(timeline),
    });
    const p = this.player;
    this.unsubscribe.push(
      p.on("user_play", (e) => this.onUserAction("play", e.position)),
      p.on("user_pause", (e) => this.onUserAction("pause", e.position)),
      p.on("user_seek", (e) => this.onUserAction("seek", e.position)),
      p.on("user_rate", (e) => this.onUserRate(e.rate)),
      p.on("buffering", (e) => this.onBuffering(e)),
      p.on("seeked", (e) => {
        if (!this.driver.seekInFlight && e.latencyMs !== null) this.driver.seekLatency.observeDuration(e.latencyMs);
      }),
    );
    this.ticks = new TickLoop({
      clock: this.clock,
      tickMs: this.t.tickIntervalMs,
      clockGapMs: this.t.clockGapMs,
      onTick: (trouble) => this.onTick(trouble),
    });
    this.reports = new SyncReporter({
      clock: this.clock,
      intervalMs: this.t.reportIntervalMs,
      offsetMs: () => (this.next ? this.rawOffsetMs : null),
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
    return { offsetMs: this.offsetMs, rate: this.player.getRate(), state: this.state };
  }

  setCorrection(enabled: boolean): void {
    this.correction = enabled;
    this.rate.reset();
    if (!enabled && this.next) this.applyRate(this.next.rate);
    this.evaluate();
  }

  setExtraOffset(ms: number): void {
    this.extraOffsetMs = clampExtraOffsetMs(ms);
    this.resetFilter();
    this.evaluate();
  }

  /** A timeline from room_state / player_event / state_update / ack, with the one it replaces. */
  setTimeline(next: Timeline, prev?: Timeline): void {
    if (this.destroyed || (this.next && sameTimeline(this.next, next))) return;
    const old = this.next;
    if (old && !changesLine(old, next) && next.anchor_server_ts <= this.clock.serverNow()) {
      // The same line re-announced (state_update): nothing to do, keep any correction going.
      this.next = next;
      return;
    }
    this.hold.rateAnswered(next.rate);
    if (this.hold.commandAnswered()) {
      // Our own command came back: the player already shows it, so hold still
      // at its position until its instant instead of following the old line.
      prev = next.play_state === "playing" ? { ...next, play_state: "paused" } : undefined;
    }
    this.prev = prev;
    this.next = next;
    this.explicitAlign = !old || changesLine(old, next);
    this.resetFilter();
    this.rate.reset();
    this.landing.clear();
    this.transitions.schedule(this.prev, this.next);
    this.evaluate();
  }

  /**
   * A pause asked for outside the player (a page button, an API call): stop
   * the player now and hold it while the room answers, like a pause made in
   * the player. Returns the frame it stopped on, s — the room pauses there.
   */
  pauseForCommand(): number {
    if (!this.destroyed) {
      void this.player.pause();
      this.hold.holdCommand(this.clock.now());
      this.rate.reset();
      this.setState("waiting");
    }
    return this.player.getPosition();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const off of this.unsubscribe) off();
    this.driver.stop();
    this.readiness.stop();
    this.ticks.stop();
    this.reports.stop();
    this.transitions.cancel();
    this.emitter.removeAll();
  }

  // ───────────── the tick ─────────────
  private onTick(trouble: ClockTrouble | null): void {
    if (trouble !== null) this.onClockTrouble(trouble);
    this.evaluate();
  }

  private evaluate(): void {
    if (this.destroyed) return;
    const next = this.next;
    if (!next) return this.setState("idle");
    // The viewer's change, told now, has been handled (a command, or for a guest an evaluate of its own).
    if (this.viewerActed()) return;
    if (this.player.isBuffering()) return this.setState("buffering");
    if (this.driver.seekInFlight) return this.setState("seeking");
    if (this.driver.startInFlight) return this.setState("waiting");
    if (this.clock.synced === false) return this.setState("waiting");
    if (this.realignAfterClock) {
      this.realignAfterClock = false;
      this.catchUpUntilMs = this.clock.now() + this.t.catchUpWindowMs;
    }
    if (this.transitions.pending) this.transitions.schedule(this.prev, this.next);
    const nowMs = this.clock.now();
    const command = this.hold.commandAt(nowMs);
    if (command === "holding") return this.setState("waiting");
    if (command === "expired") this.explicitAlign = true; // the room never answered: go back to its timeline
    const rate = this.hold.rateAt(nowMs);
    if (rate === "holding") return this.setState("waiting");
    if (rate === "expired") this.applyRate(next.rate); // the room never took our speed: back to its rate
    const serverNow = this.clock.serverNow();
    if (this.transitions.fired === next && serverNow < next.anchor_server_ts) return this.setState("waiting");
    const eff = effectiveTimeline(this.prev, next, serverNow);
    const timelinePos = positionAt(eff, serverNow);
    const raw = (this.player.getPosition() - timelinePos) * 1000;
    this.rawOffsetMs = raw;
    const slope = eff.play_state === "playing" && !this.player.isPaused() ? this.player.getRate() - eff.rate : 0;
    const offset = this.filter.push(raw - this.extraOffsetMs, nowMs, slope);
    this.offsetMs = offset;
    // A step (the player stuttered or skipped) is a fresh error like a start's: close it with the catch-up law.
    if (Math.abs(this.filter.stepMs) > this.t.stepCatchUpMs) this.catchUpUntilMs = nowMs + this.t.catchUpWindowMs;
    // One beyond the pitch-free limit (a 100–400 ms freeze of a busy page) is decided afresh: a pitch-free
    // correction under way would keep its 10 % for it. (Smaller steps, like time-stretching's ~20 ms entry, keep the correction.)
    if (Math.abs(this.filter.stepMs) > this.t.pitchFreeMaxOffsetMs) this.rate.reset();
    this.rate.stepWhileTrimming(this.filter.stepMs, this.t.trimStepLimitMs);
    // Two ticks after a correction left the timeline's rate, what the rate change cost goes to the rate policy.
    const entryStepMs = this.entryStep.push(this.filter.stepMs);
    if (entryStepMs !== null) this.rate.learnEntryStep(entryStepMs);
    const positionAllowed = this.correction || this.explicitAlign;

    if (eff.play_state === "paused") {
      if (!this.player.isPaused()) void this.player.pause();
      if (positionAllowed && Math.abs(offset) > this.t.pausedSeekThresholdMs && !this.bothAtEnd(eff, timelinePos)) {
        return this.seekTo(timelinePos + this.extraOffsetMs / 1000, null);
      }
      this.explicitAlign = false;
      return this.setState(this.transitions.armed ? "waiting" : "synced");
    }
    if (this.player.isPaused()) {
      // The media ended a moment before the room's line does: wait there (playing would restart it).
      if (this.bothAtEnd(eff, timelinePos)) return this.setState("synced");
      if (positionAllowed && Math.abs(offset) > this.t.pausedSeekThresholdMs) return this.seekThenStart(eff, serverNow);
      this.explicitAlign = false;
      this.driver.play();
      this.landing.afterStart(nowMs, "settle");
      this.catchUpUntilMs = nowMs + this.t.catchUpWindowMs;
      this.resetFilter();
      return this.setState("synced");
    }
    if (!this.landing.check(nowMs, offset)) return;
    if (!positionAllowed) return this.setState("synced");
    const seekThreshold = this.rate.supported ? this.t.seekThresholdMs : this.t.noRateSeekThresholdMs;
    const cooledDown = nowMs - this.driver.lastSeekEndMs >= this.t.seekCooldownMs;
    if (Math.abs(offset) > seekThreshold && (cooledDown || this.explicitAlign)) {
      void this.player.pause(); // the picture jumps anyway; holding still makes the landing exact
      return this.seekThenStart(eff, serverNow);
    }
    this.explicitAlign = false;
    if (!this.correction) return this.setState("synced");
    // Right after leaving the timeline's rate, the step that change costs has not shown in the median yet: count it.
    const pendingStepMs = this.entryStep.unseenMs(this.rate.rateEntryStepMs);
    // A browser's rate change shows in its reads late, and the return to the rate gives that back: count it, or the correction overshoots.
    const lagMs = this.player.pitchFreeRates === true ? (this.player.getRate() - eff.rate) * this.t.rateLagMs : 0;
    const delta = this.rate.decide(offset + pendingStepMs + lagMs, nowMs < this.catchUpUntilMs, this.pitchFreeAt(eff.rate));
    const pitchFree = this.rate.isPitchFree(delta);
    // Leaving exactly the timeline's rate (a stretched rest never comes within 1e-4 of it) for a rate that pays a step.
    if (delta !== 0 && !pitchFree && Math.abs(this.player.getRate() - eff.rate) < 5e-5) {
      this.entryStep.start();
      // A player that pays for leaving its rate: the step it is about to take is fresh error, closed by the catch-up law.
      if (Math.abs(this.rate.rateEntryStepMs) > this.t.deadzoneEnterMs) this.catchUpUntilMs = nowMs + this.t.catchUpWindowMs;
    }
    this.applyRate(eff.rate * (1 + delta), delta, eff.rate, pitchFree);
    this.setState(Math.abs(delta) >= this.t.minRateDelta ? "correcting" : "synced"); // a trim is still "synced"
  }

  /** The player and the room's line both stand at the media's end (see media-end.ts). */
  private bothAtEnd(eff: Timeline, timelinePos: number): boolean {
    return bothAtEnd(this.player, eff, timelinePos, this.t.seekThresholdMs);
  }

  private targetAt(eff: Timeline, serverMs: number): number {
    return positionAt(eff, serverMs) + this.extraOffsetMs / 1000;
  }

  private resetFilter(): void {
    this.filter.reset();
    this.entryStep.reset();
  }

  // ───────────── actions ─────────────
  /** Whether the room's newest line plays (a start planned before a pause arrived is stale). */
  private playingNow(): boolean {
    const next = this.next;
    if (this.destroyed || this.viewerActed()) return false;
    return next?.play_state === "playing" && !atEnd(next, this.clock.serverNow()) && !playerAtItsEnd(this.player);
  }

  /** Whether the player told a change of the viewer's it showed before its event (see Player.checkUserChanges). */
  private viewerActed(): boolean {
    return this.player.checkUserChanges?.() === true;
  }

  /**
   * Seek a still player, then start it at the instant the timeline reaches
   * the landing spot. Waiting is cheap, so the aim is generous; an early
   * landing just waits, which makes the result independent of seek jitter.
   */
  private seekThenStart(eff: Timeline, serverNow: number): void {
    const startDelayMs = this.driver.startDelay.ms;
    // A seek command scheduled ahead: land early and jump with everyone at its instant.
    const untilInstantMs = eff.anchor_server_ts - serverNow - startDelayMs;
    const seek = this.driver.seekLatency;
    const waitMs = Math.max(seek.ms + 2 * seek.spreadMs + PAUSED_SEEK_MARGIN_MS, untilInstantMs);
    this.seekTo(this.targetAt(eff, serverNow + waitMs + startDelayMs), this.clock.now() + waitMs);
  }

  private seekTo(position: number, playAtLocalMs: number | null): void {
    this.rate.reset();
    if (this.next) this.applyRate(this.next.rate);
    this.driver.seekTo(position, playAtLocalMs, () => this.playingNow());
    this.setState("seeking");
  }

  private onLanded(kind: LandingKind | null): void {
    this.resetFilter();
    this.landing.afterSeek(this.clock.now(), kind);
    if (kind !== null) this.catchUpUntilMs = this.clock.now() + this.t.catchUpWindowMs;
    this.evaluate();
  }

  /**
   * A start's media runs steadily (the driver just measured its delay): its
   * landing is checked now, on a fresh reading, instead of at start delay +
   * settleMs (a guess at when it settles, 50–100 ms later in Chromium), and
   * the readings taken while it stood still are dropped from the filter.
   */
  private onStartSteady(): void {
    if (this.destroyed || !this.landing.startSteady(this.clock.now())) return;
    this.resetFilter();
    this.evaluate();
  }

  private applyRate(rate: number, requestedDelta = 0, baseRate = rate, pitchFree = this.pitchFreeAt(rate)): void {
    this.driver.applyRate(rate, (applied) => this.rate.applied(requestedDelta, applied / baseRate - 1), pitchFree);
  }

  /**
   * Corrections of a room playing at 1× may move the pitch briefly (up to
   * pitchFreeMaxRateDelta) on a player that resamples them without a step;
   * a room rate someone chose keeps its pitch.
   */
  private pitchFreeAt(roomRate: number): boolean {
    return this.player.pitchFreeRates === true && roomRate === 1 && this.t.pitchFreeMaxRateDelta > 0;
  }

  // ───────────── scheduled transitions ─────────────
  private fireTransition(timeline: Timeline): void {
    if (this.destroyed || this.viewerActed()) return;
    if (timeline !== this.next || this.driver.seekInFlight || this.player.isBuffering()) return;
    if (timeline.play_state === "paused") {
      // The clock estimate may have moved since the timer was set: until the
      // instant has passed by our clock too, do not "correct" the pause away.
      this.transitions.fired = timeline;
      void this.player.pause();
      return this.evaluate();
    }
    const at = (this.player.getPosition() - timeline.position) * 1000 - this.extraOffsetMs;
    if (!this.player.isPaused() || Math.abs(at) > this.t.pausedSeekThresholdMs || playerAtItsEnd(this.player)) return this.evaluate();
    this.transitions.fired = timeline;
    this.driver.play();
    this.resetFilter();
    this.landing.afterStart(this.clock.now(), "start");
    this.catchUpUntilMs = this.clock.now() + this.t.catchUpWindowMs;
    this.setState("waiting");
  }

  // ───────────── viewer and player events ─────────────
  private onUserAction(action: "play" | "pause" | "seek", position: number): void {
    if (this.destroyed || !this.next) return;
    if (!this.deps.canControl()) return this.evaluate(); // not ours to decide: back to the room's timeline
    this.deps.send.command(action, position);
    this.hold.holdCommand(this.clock.now());
    this.rate.reset();
    // Everyone, the sender included, starts at the room's scheduled instant.
    if (action === "play" || (action === "seek" && !this.player.isPaused())) void this.player.pause();
    this.applyRate(this.next.rate);
    this.setState("waiting");
  }

  /**
   * A speed change the viewer made in their player. A controller's becomes
   * the room's rate (the engine holds it until the room answers); anyone
   * else's is put back at once, with a notice saying why. The engine's own
   * micro-rate corrections never arrive here (adapters report only changes
   * they did not make).
   */
  private onUserRate(reported: number): void {
    if (this.destroyed || !this.next) return;
    const roomRate = this.next.rate;
    const rate = intendedRate(reported, this.driver.lastRequestedRate / roomRate);
    if (Math.abs(rate - roomRate) < 1e-3) return this.evaluate();
    if (!this.deps.canControl()) {
      this.rate.reset();
      this.applyRate(roomRate);
      this.emitter.emit("notice", { kind: "rate_reverted", reason: "not_controller", requestedRate: rate, roomRate });
      return this.evaluate();
    }
    this.hold.holdRate(rate, this.clock.now());
    this.rate.reset();
    this.deps.send.command(this.next.play_state === "playing" ? "play" : "pause", this.player.getPosition(), rate);
    this.setState("waiting");
  }

  /** The engine's own seek, start, command hold or landing is in progress (a stall now is its doing). */
  private ownActionInProgress(): boolean {
    const d = this.driver;
    if (d.seekInFlight || d.startInFlight || this.hold.holding || this.transitions.armed) return true;
    return this.landing.waiting(this.clock.now());
  }

  private onBuffering(_e: PlayerEvents["buffering"]): void {
    if (this.destroyed) return;
    this.readiness.update();
    this.resetFilter();
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
    this.resetFilter();
    this.rate.reset();
    this.rawOffsetMs = null;
    this.offsetMs = null;
    this.explicitAlign = true;
    this.realignAfterClock = true;
    this.transitions.schedule(this.prev, this.next);
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
