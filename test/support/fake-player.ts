/**
 * A deterministic player model implementing the Player interface on a given
 * clock (a FakeClock in unit tests, a simulated device clock in the sync
 * bench). Media advances with the clock it runs on, as a real device's audio
 * clock does. Configurable: seek latency, a late resume after a seek, start
 * delay, rate acceptance and granularity, position read noise, stalls.
 * `user*()` methods play the viewer: they act and emit `user_*` events;
 * calls through the Player interface never emit `user_*`. `userSeekQueued()`
 * is a viewer's seek whose event comes later (a media event still queued),
 * told early by `checkUserChanges()` as Html5Player does.
 */
import { Emitter } from "../../src/client/emitter.js";
import type { Player, PlayerEventName, PlayerEvents, SetRateOptions, Unsubscribe } from "../../src/client/player.js";

export interface PlayerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FakePlayerOptions {
  clock: PlayerClock;
  /** ms from seek() to landing; a function for random latency. */
  seekLatencyMs?: number | (() => number);
  /** After landing, playback stays still this long more (a seek that "lands late"). */
  seekResumeDelayMs?: number;
  /** ms from play() until media starts moving. */
  startDelayMs?: number;
  /**
   * play()'s promise resolves at once while the media still stands still
   * `startDelayMs` (Chromium: the promise within a few ms, `currentTime`
   * still for 60–80 ms; docs/sync.md#start-delay). Default: it resolves
   * when the media moves.
   */
  playResolvesEarly?: boolean;
  /** The adapter's `typicalStartDelayMs` (absent: none). */
  typicalStartDelayMs?: number;
  /** false: setRate() resolves with 1 and nothing changes. */
  acceptsRate?: boolean;
  /** Applied rates are rounded to a multiple of this (0: exact). */
  rateGranularity?: number;
  minRate?: number;
  maxRate?: number;
  /** Position reads are off by up to ± this many ms. */
  positionNoiseMs?: number;
  /** Random source in [0, 1) for noise; deterministic by default. */
  random?: () => number;
  startPosition?: number;
  durationSeconds?: number;
  /**
   * Leaving rate 1 for another rate while playing costs this much media time,
   * ms (Chromium: its time-stretching starts 15–25 ms behind; measured in
   * docs/sync.md). 0 by default.
   */
  rateEntryStepMs?: number;
  /** The player resamples rates set with `pitchFree` (Chromium with `preservesPitch` off): no entry step. */
  pitchFreeRates?: boolean;
  /**
   * Every rate change shows this late in the position (Chromium: ~75 ms,
   * resampled or time-stretched — 1.02 reads −1.5 ms, 1.2 −15 ms, given
   * back on return; measured in docs/sync.md), ms. 0 by default.
   */
  rateLagMs?: number;
}

export class FakePlayer implements Player {
  private readonly emitter = new Emitter<PlayerEvents>();
  private anchorLocalMs: number;
  private anchorPosition: number;
  private rate = 1;
  /** The current rate is time-stretched (pays rateEntryStepMs on entry), not resampled. */
  private stretching = false;
  private paused = true;
  private buffering = false;
  private holds = 0; // seeks, late resumes, start delays: media does not move
  private seq = 0;
  private readonly random: () => number;
  /** Every seek() call: local time and target. */
  readonly seeks: Array<{ atMs: number; position: number }> = [];
  /** Every setRate() call: local time, requested and applied rate. */
  readonly rateCalls: Array<{ atMs: number; requested: number; applied: number; pitchFree: boolean }> = [];
  /** Viewer changes shown but not told yet (their event is "queued"). */
  private queued: Array<{ event: "user_seek"; position: number; told: boolean }> = [];
  playCalls = 0;
  pauseCalls = 0;
  destroyed = false;

  constructor(private readonly o: FakePlayerOptions) {
    this.anchorLocalMs = o.clock.now();
    this.anchorPosition = o.startPosition ?? 0;
    let s = 12345;
    this.random =
      o.random ??
      (() => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      });
  }

  /** The exact media position (no read noise). */
  truePosition(): number {
    if (!this.moving()) return this.anchorPosition;
    const p = this.anchorPosition + ((this.o.clock.now() - this.anchorLocalMs) / 1000) * this.rate;
    return this.o.durationSeconds === undefined ? p : Math.min(p, this.o.durationSeconds);
  }

  getPosition(): number {
    const noise = this.o.positionNoiseMs ?? 0;
    return Math.max(0, this.truePosition() + ((this.random() * 2 - 1) * noise) / 1000);
  }
  isPaused(): boolean {
    return this.paused;
  }
  getRate(): number {
    return this.rate;
  }
  isBuffering(): boolean {
    return this.buffering;
  }

  play(): Promise<void> {
    this.playCalls++;
    if (!this.paused) return Promise.resolve();
    this.rebase();
    this.paused = false;
    const delay = this.o.startDelayMs ?? 0;
    if (delay <= 0) return Promise.resolve();
    const moving = this.holdFor(delay);
    return this.o.playResolvesEarly ? Promise.resolve() : moving;
  }

  pause(): Promise<void> {
    this.pauseCalls++;
    this.rebase();
    this.paused = true;
    return Promise.resolve();
  }

  seek(position: number): Promise<void> {
    const startedMs = this.o.clock.now();
    this.seeks.push({ atMs: startedMs, position });
    const id = ++this.seq;
    this.rebase();
    this.anchorPosition = Math.max(0, position);
    this.holds++;
    const l = this.o.seekLatencyMs ?? 0;
    const latency = typeof l === "function" ? l() : l;
    return new Promise((resolve) => {
      this.o.clock.setTimeout(() => {
        const landed = () => {
          this.rebase();
          this.holds--;
        };
        const late = this.o.seekResumeDelayMs ?? 0;
        if (late > 0) this.o.clock.setTimeout(landed, late);
        else landed();
        if (id === this.seq) this.emitter.emit("seeked", { position, latencyMs: this.o.clock.now() - startedMs });
        resolve();
      }, latency);
    });
  }

  get typicalStartDelayMs(): number | undefined {
    return this.o.typicalStartDelayMs;
  }

  get pitchFreeRates(): boolean {
    return this.o.pitchFreeRates === true;
  }

  setRate(requested: number, options?: SetRateOptions): Promise<number> {
    let applied = 1;
    if (this.o.acceptsRate !== false) {
      const g = this.o.rateGranularity ?? 0;
      applied = g > 0 ? Math.round(requested / g) * g : requested;
      applied = Math.min(this.o.maxRate ?? 16, Math.max(this.o.minRate ?? 0.0625, applied));
      applied = Math.round(applied * 1e6) / 1e6;
    }
    this.rateCalls.push({ atMs: this.o.clock.now(), requested, applied, pitchFree: options?.pitchFree === true });
    this.rebase();
    const resampled = this.pitchFreeRates && options?.pitchFree === true;
    const stretching = applied !== 1 && !resampled;
    if (!this.paused) {
      if (stretching && !this.stretching) this.anchorPosition -= (this.o.rateEntryStepMs ?? 0) / 1000;
      this.anchorPosition -= ((applied - this.rate) * (this.o.rateLagMs ?? 0)) / 1000;
    }
    this.stretching = stretching;
    this.rate = applied;
    return Promise.resolve(applied);
  }

  on<E extends PlayerEventName>(event: E, listener: (data: PlayerEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  destroy(): void {
    this.destroyed = true;
    this.emitter.removeAll();
  }

  checkUserChanges(): boolean {
    const untold = this.queued.filter((q) => !q.told);
    for (const q of untold) q.told = true;
    for (const q of untold) this.emitter.emit(q.event, { position: q.position });
    return untold.length > 0;
  }

  // ── the viewer's own actions ──
  userPlay(): void {
    this.rebase();
    this.paused = false;
    this.emitter.emit("user_play", { position: this.truePosition() });
  }
  userPause(): void {
    this.rebase();
    this.paused = true;
    this.emitter.emit("user_pause", { position: this.truePosition() });
  }
  userSeek(position: number): void {
    this.rebase();
    this.anchorPosition = position;
    this.emitter.emit("user_seek", { position });
  }
  /** A viewer's seek that the player shows at once and tells `eventDelayMs` later (unless told early). */
  userSeekQueued(position: number, eventDelayMs: number): void {
    this.rebase();
    this.anchorPosition = position;
    const q = { event: "user_seek" as const, position, told: false };
    this.queued.push(q);
    this.o.clock.setTimeout(() => {
      this.queued = this.queued.filter((x) => x !== q);
      if (!q.told) this.emitter.emit(q.event, { position: q.position });
    }, eventDelayMs);
  }
  userRate(rate: number): void {
    this.rebase();
    this.rate = rate;
    this.emitter.emit("user_rate", { rate });
  }

  /** The player runs out of data for `ms` (media stands still, buffering events fire). */
  /** The page or its decoder freezes for `ms` (a busy machine): media stands still, no events. */
  freeze(ms: number): void {
    this.rebase();
    void this.holdFor(ms);
  }

  stall(ms: number): void {
    this.rebase();
    this.buffering = true;
    this.holds++;
    this.emitter.emit("buffering", { buffering: true });
    this.o.clock.setTimeout(() => {
      this.rebase();
      this.holds--;
      this.buffering = false;
      this.emitter.emit("buffering", { buffering: false });
    }, ms);
  }

  private moving(): boolean {
    return !this.paused && this.holds === 0;
  }

  private holdFor(ms: number): Promise<void> {
    this.holds++;
    return new Promise((resolve) => {
      this.o.clock.setTimeout(() => {
        this.rebase();
        this.holds--;
        resolve();
      }, ms);
    });
  }

  /** Freeze the current position as the new anchor before any state change. */
  private rebase(): void {
    this.anchorPosition = this.truePosition();
    this.anchorLocalMs = this.o.clock.now();
  }
}
