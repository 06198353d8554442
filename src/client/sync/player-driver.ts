/**
 * The engine's hands: seeks, starts and rate changes on the player, with the
 * bookkeeping they need — one seek in flight at a time (a newer one
 * supersedes it; a hung one times out), measured seek and start latencies,
 * one rate request at a time. It decides nothing; the engine does.
 */
import type { Player } from "../player.js";
import type { EngineClock } from "./engine-types.js";
import { LatencyEstimator } from "./latency-estimator.js";
import { LATE_TIMER_MS } from "./engine-core.js";
import { START_WATCH_MAX_MS, watchStart } from "./start-watch.js";

/**
 * "seek": landed while playing; "seek-start": landed still after the planned
 * start instant and started at once (an error then is the seek's: its aim
 * learns); "waited-start": landed early, waited, and started at the planned
 * instant (an error then is the player's start delay: that estimate learns).
 */
export type LandingKind = "seek" | "seek-start" | "waited-start";

export interface PlayerDriverOptions {
  seekTimeoutMs: number;
  initialSeekLatencyMs: number;
  initialStartDelayMs: number;
  latencyLearnRate: number;
}

export class PlayerDriver {
  readonly seekLatency: LatencyEstimator;
  readonly startDelay: LatencyEstimator;
  seekInFlight = false;
  /**
   * A play() the player has not confirmed yet. Until it does, the player may
   * still say "paused"; asking again would queue a second play that can land
   * after a viewer's own pause and undo it.
   */
  startInFlight = false;
  /** The latest start's delay was measured on the media clock (see watchStart). */
  startMeasured = false;
  lastSeekEndMs = Number.NEGATIVE_INFINITY;
  /** The rate the engine last asked for (room rate × its correction). */
  lastRequestedRate = 1;
  private generation = 0;
  /** Counts play() calls: a newer start supersedes the watch of an older one. */
  private starts = 0;
  private rateBusy = false;
  private stopped = false;

  constructor(
    private readonly player: Player,
    private readonly clock: Pick<EngineClock, "now" | "setTimeout" | "clearTimeout">,
    private readonly o: PlayerDriverOptions,
    /**
     * Called once a seek landed (and, with a start, the player was told to
     * play); null: landed still. `untimed`: the start's timer fired late
     * (engine-core.ts LATE_TIMER_MS), so where it lands says nothing of the player.
     */
    private readonly onLanded: (kind: LandingKind | null, untimed: boolean) => void,
    /** Called once a start's media runs steadily (its start delay was just measured). */
    private readonly onStarted: () => void = () => {},
  ) {
    this.seekLatency = new LatencyEstimator(o.initialSeekLatencyMs, o.latencyLearnRate);
    this.startDelay = new LatencyEstimator(o.initialStartDelayMs, o.latencyLearnRate, START_WATCH_MAX_MS, true, true);
  }

  /**
   * Seek; with `playAtLocalMs`, start playing at that local instant once
   * landed (at once if later) — unless `stillPlaying()` says the room's line
   * stopped playing meanwhile (a pause arrived during the seek).
   */
  seekTo(position: number, playAtLocalMs: number | null, stillPlaying: () => boolean = () => true): void {
    const generation = ++this.generation;
    const startedMs = this.clock.now();
    this.seekInFlight = true;
    const timeout = this.clock.setTimeout(() => {
      if (generation === this.generation) this.seekInFlight = false;
    }, this.o.seekTimeoutMs);
    const current = () => generation === this.generation && !this.stopped;
    this.player.seek(Math.max(0, position)).then(
      () => {
        this.clock.clearTimeout(timeout);
        if (!current()) return;
        const endMs = this.clock.now();
        this.seekLatency.observeDuration(endMs - startedMs);
        this.lastSeekEndMs = endMs;
        if (playAtLocalMs === null) return this.land(this.player.isPaused() ? null : "seek");
        const waitMs = playAtLocalMs - endMs;
        const start = () => {
          if (!current()) return;
          if (!stillPlaying()) return this.land(null);
          const late = this.clock.now() - playAtLocalMs > LATE_TIMER_MS;
          this.play(late);
          this.land(waitMs > 0 ? "waited-start" : "seek-start", late);
        };
        if (waitMs <= 0) start();
        else this.clock.setTimeout(start, waitMs);
      },
      () => {
        this.clock.clearTimeout(timeout);
        if (generation === this.generation) this.seekInFlight = false;
      },
    );
  }

  /**
   * play(), measuring how long the player takes to start: how far its media
   * clock ends up behind the time since play() once it runs steadily — not
   * when play()'s promise resolves. Chromium resolves it within a few ms,
   * moves `currentTime` 5–20 ms, then holds it still until ~110 ms after
   * play(): the media runs 50–90 ms behind (docs/sync.md#start-delay).
   */
  play(untimed = false): void {
    if (this.startInFlight) return;
    this.startInFlight = true;
    this.startMeasured = false;
    const startedMs = this.clock.now();
    // A player that never confirms must not block the engine for good.
    const timeout = this.clock.setTimeout(() => {
      this.startInFlight = false;
    }, this.o.seekTimeoutMs);
    const settle = () => {
      this.clock.clearTimeout(timeout);
      this.startInFlight = false;
    };
    // A start fired by a late timer is not measured either: its page runs timers late, the watch would be too.
    if (!untimed) this.watchStart(startedMs, this.player.getPosition());
    this.player.play().then(settle, settle);
  }

  /** Measures this start's delay (./start-watch.ts) unless a seek, another start or a clock jump supersedes it. */
  private watchStart(startedMs: number, fromPosition: number): void {
    const generation = this.generation;
    const start = ++this.starts;
    watchStart({
      player: this.player,
      clock: this.clock,
      startedMs,
      fromPosition,
      current: () => generation === this.generation && start === this.starts && !this.stopped,
      onMeasured: (ms) => {
        this.startDelay.observeDuration(ms);
        this.startDelay.resetBias(); // a measured start is the player's whole delay
        this.startMeasured = true;
        this.onStarted();
      },
    });
  }

  /**
   * Ask for a rate unless one request is pending or it is already applied;
   * `onApplied` gets what the player did. `pitchFree`: see Player.setRate.
   */
  applyRate(rate: number, onApplied?: (applied: number) => void, pitchFree = false): void {
    this.lastRequestedRate = rate;
    if (this.rateBusy || Math.abs(this.player.getRate() - rate) < 5e-4) return;
    this.rateBusy = true;
    this.player.setRate(Math.round(rate * 1e4) / 1e4, { pitchFree }).then(
      (applied) => {
        this.rateBusy = false;
        onApplied?.(applied);
      },
      () => {
        this.rateBusy = false;
      },
    );
  }

  stop(): void {
    this.stopped = true;
  }

  /** Forget an in-flight seek or start (its planned local instant is meaningless after a clock jump). */
  abandon(): void {
    this.generation++;
    this.seekInFlight = false;
    this.startInFlight = false;
    this.lastSeekEndMs = Number.NEGATIVE_INFINITY;
  }

  private land(kind: LandingKind | null, untimed = false): void {
    this.seekInFlight = false;
    this.onLanded(kind, untimed);
  }
}
