/**
 * The Player adapter over an HTMLMediaElement (`<video>`/`<audio>`, with or
 * without hls.js behind it). It reads, acts and reports; policy lives in the
 * sync engine.
 *
 * Own actions vs the viewer's: every play/pause/seek/rate change made here is
 * recorded in an OwnChanges ledger and consumed by the media event it causes;
 * a media event nobody here asked for is reported as user_*. A viewer's
 * change the element already shows while its event is still queued is
 * noticed (ShownState) before every own change and whenever the engine asks
 * (`checkUserChanges`), reported at once, and holds its event's place in
 * the ledger.
 */
import { Emitter } from "../../client/emitter.js";
import type { Player, PlayerEventName, PlayerEvents, SetRateOptions, Unsubscribe } from "../../client/player.js";
import {
  clampRate,
  clampSeekTarget,
  describeMediaError,
  hasFutureData,
  hasMetadata,
  knownDurationSeconds,
  MEDIA_LOAD_ERROR_EVENT,
  type MediaLoadErrorDetail,
  waitForMetadata,
} from "./media-state.js";
import { OwnChanges } from "./own-changes.js";
import { applyPitchFor } from "./pitch.js";
import { type SeekTiming, SeekTracker } from "./seek-tracker.js";
import { type ShownChange, ShownState } from "./shown-state.js";
import { ToggleKeys } from "./toggle-keys.js";

export interface Html5PlayerOptions {
  /** Local monotonic clock, ms (default `performance.now()`); used for latencies. */
  now?: () => number;
}

export class Html5Player implements Player {
  private readonly events = new Emitter<PlayerEvents>();
  private readonly own = new OwnChanges();
  private readonly seeks: SeekTracker;
  private readonly shown: ShownState;
  private readonly now: () => number;
  private readonly controller = new AbortController();
  private buffering = false;
  private lastRate: number;
  /** Pitch-free rates are resampled, without time-stretching's step (./pitch.ts). */
  readonly pitchFreeRates = true;
  /** Chromium 156: currentTime runs 50–94 ms behind the time since play() once it runs (bench:browser dumps; docs/sync.md#start-delay). */
  readonly typicalStartDelayMs = 80;
  /** The element's `preservesPitch` before this adapter: restored for every rate not set pitch-free (./pitch.ts). */
  private readonly ownPitch: boolean;
  private pitchOverridden = false;
  private destroyed = false;
  private toggleKeys: ToggleKeys;

  constructor(
    readonly media: HTMLMediaElement,
    options: Html5PlayerOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.seeks = new SeekTracker(media, this.own, this.now);
    this.shown = new ShownState(media);
    this.lastRate = media.playbackRate;
    this.ownPitch = media.preservesPitch;
    const handlers: Record<string, (e: Event) => void> = {
      play: () => this.onPlay(),
      pause: () => this.onPause(),
      seeking: () => this.onSeeking(),
      seeked: () => this.onSeeked(),
      ratechange: () => this.onRateChange(),
      waiting: () => this.setBuffering(true),
      stalled: () => this.setBuffering(!hasFutureData(media)),
      playing: () => this.setBuffering(false),
      canplay: () => this.setBuffering(false),
      canplaythrough: () => this.setBuffering(false),
      ended: () => this.events.emit("ended", {}),
      loadedmetadata: () => this.emitReady(),
      emptied: () => this.onEmptied(),
      error: () => this.onMediaError(describeMediaError(media)),
      [MEDIA_LOAD_ERROR_EVENT]: (e) => this.onMediaError((e as CustomEvent<MediaLoadErrorDetail>).detail.message),
    };
    this.toggleKeys = new ToggleKeys(media, this.controller.signal);
    for (const [type, handler] of Object.entries(handlers)) {
      media.addEventListener(type, handler, { signal: this.controller.signal });
    }
    // Attached after load: announce readiness once listeners had a chance to subscribe.
    if (hasMetadata(media)) queueMicrotask(() => this.emitReady());
  }

  getPosition(): number {
    return this.media.currentTime;
  }

  isPaused(): boolean {
    return this.media.paused;
  }

  getRate(): number {
    return this.media.playbackRate;
  }

  getDuration(): number | null {
    return knownDurationSeconds(this.media);
  }

  isBuffering(): boolean {
    return this.buffering;
  }

  /** Timing of the most recent completed seek (own or viewer's). */
  get lastSeek(): SeekTiming | null {
    return this.seeks.last;
  }

  /** Own seeks issued again because the element left them stalled (./seek-tracker.ts). */
  get seekReissues(): number {
    return this.seeks.reissued;
  }

  /** Resolves once playing; rejects (and emits `error`) when the browser refuses, e.g. autoplay policy. */
  async play(): Promise<void> {
    this.assertAlive();
    const media = this.media;
    this.checkUserChanges();
    if (!media.paused) return;
    // Playing from the end makes the element seek to the start first.
    if (media.ended) this.own.expect("seek", { requestedAtMs: this.now() });
    this.own.expect("play", { requestedAtMs: this.now() });
    const started = media.play();
    this.shown.knowPaused();
    if (media.seeking) this.shown.knowSeekTarget();
    try {
      await started;
    } catch (err) {
      const name = err instanceof DOMException ? err.name : "";
      if (name === "AbortError") return; // superseded by a pause() or a reload; its events are accounted for
      if (name === "NotAllowedError" || name === "NotSupportedError") {
        // Rejected before any state change: the expected events will not come.
        this.own.withdraw("play");
        if (media.ended) this.own.withdraw("seek");
      }
      const message = `play() rejected: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
      this.events.emit("error", { message });
      throw new Error(message, { cause: err });
    }
  }

  async pause(): Promise<void> {
    this.assertAlive();
    // A viewer's play noticed now was made before this pause.
    this.noticeUserChanges(true);
    if (this.media.paused) return;
    this.own.expect("pause", { requestedAtMs: this.now() });
    this.media.pause();
    this.shown.knowPaused();
  }

  /**
   * Resolves at `seeked`. Before metadata is known, waits for it, then seeks.
   * Rejects when the media has failed or fails before landing (no `seeked`
   * follows a media error); a seek the element leaves stalled is issued
   * again (./seek-tracker.ts).
   */
  async seek(positionSeconds: number): Promise<void> {
    this.assertAlive();
    if (this.media.error) throw new Error(`cannot seek: ${describeMediaError(this.media)}`);
    if (!hasMetadata(this.media)) await waitForMetadata(this.media, this.controller.signal);
    this.checkUserChanges();
    const landed = this.seeks.request(clampSeekTarget(this.media, positionSeconds));
    this.shown.knowSeekTarget();
    return landed;
  }

  /**
   * Applies the rate clamped to 0.0625–16 (Chromium's range) and resolves
   * with it. A `pitchFree` rate is resampled, any other keeps the element's
   * pitch setting (./pitch.ts).
   */
  async setRate(rate: number, options?: SetRateOptions): Promise<number> {
    this.assertAlive();
    const applied = clampRate(rate);
    this.checkUserChanges();
    this.pitchOverridden = applyPitchFor(this.media, options?.pitchFree === true, this.ownPitch);
    if (this.media.playbackRate !== applied) {
      this.own.expect("rate", { requestedAtMs: this.now(), value: applied });
      this.media.playbackRate = applied;
      this.shown.knowRate();
    }
    return this.media.playbackRate;
  }

  /**
   * Reports (as `user_*`, synchronously) what someone else changed on the
   * element whose media event has not arrived yet; true when there was
   * something, or when a seek of a playing element is left to its event
   * (the engine then waits). Called before every own change; the sync engine
   * calls it before it reads the player to decide anything.
   */
  checkUserChanges(): boolean {
    const told = this.noticeUserChanges(false);
    // Still to be told by its event (see ShownState.seekPendingWhilePlaying): the engine waits for it.
    return this.shown.seekPendingWhilePlaying() || told;
  }

  private noticeUserChanges(beforeOwnPause: boolean): boolean {
    if (this.destroyed) return false;
    const changes = this.shown.takeUnknown();
    // Every noticed change takes its event's place first: listeners may act on the player at once.
    for (const c of changes) this.own.expect(c.kind, { requestedAtMs: this.now(), viewer: true });
    for (const c of changes) this.emitUser(c, beforeOwnPause);
    return changes.length > 0;
  }

  on<E extends PlayerEventName>(event: E, listener: (data: PlayerEvents[E]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.controller.abort();
    if (this.pitchOverridden) this.media.preservesPitch = this.ownPitch;
    this.seeks.destroy();
    this.own.clear();
    this.events.removeAll();
  }

  private onPlay(): void {
    if (this.own.consume("play") !== undefined) return; // own, or noticed and reported already
    this.shown.knowPaused();
    // Events come in the order their changes were made: an own pause still to come was made after this play.
    const beforeOwnPause = this.own.count("pause") > 0;
    this.emitPlay(this.media.currentTime, beforeOwnPause);
  }

  private onPause(): void {
    if (this.own.consume("pause") !== undefined) return;
    this.toggleKeys.take();
    this.shown.knowPaused();
    if (this.media.ended) return; // reaching the end pauses the element; `ended` reports that
    this.events.emit("user_pause", { position: this.media.currentTime });
  }

  private onSeeking(): void {
    if (this.seeks.onSeeking() !== "viewer") return;
    this.shown.knowSeekTarget();
    this.events.emit("user_seek", { position: this.media.currentTime });
  }

  private onSeeked(): void {
    const latencyMs = this.seeks.onSeeked();
    this.events.emit("seeked", { position: this.media.currentTime, latencyMs });
  }

  private onRateChange(): void {
    const change = this.own.consume("rate");
    if (change) {
      // Later changes may already show in playbackRate; remember the value this event is about.
      if (!change.viewer) this.lastRate = change.value ?? this.media.playbackRate;
      return;
    }
    this.shown.knowRate();
    this.viewerRate(this.media.playbackRate);
  }

  private viewerRate(rate: number): void {
    this.pitchOverridden = applyPitchFor(this.media, false, this.ownPitch); // the viewer's 1.5× keeps its pitch even after a resampled correction
    // A ratechange with an unchanged playbackRate came from defaultPlaybackRate.
    if (rate !== this.lastRate) this.events.emit("user_rate", { rate });
    this.lastRate = rate;
  }

  private emitUser(c: ShownChange, beforeOwnPause: boolean): void {
    if (c.kind === "rate") return this.viewerRate(c.rate);
    if (c.kind === "play") return this.emitPlay(c.position, beforeOwnPause);
    if (c.kind === "pause") this.toggleKeys.take();
    this.events.emit(`user_${c.kind}`, { position: c.position });
  }

  private emitPlay(position: number, beforeOwnPause: boolean): void {
    const toggleKey = this.toggleKeys.take();
    this.events.emit("user_play", { position, ...(beforeOwnPause ? { beforeOwnPause } : {}), ...(toggleKey ? { toggleKey } : {}) });
  }

  private onMediaError(message: string): void {
    this.seeks.rejectAll(`media failed during seek: ${message}`);
    this.events.emit("error", { message });
  }

  /** The element (re)started loading: queued events of the old resource are gone. */
  private onEmptied(): void {
    this.own.clear();
    this.shown.reset();
    this.seeks.rejectAll("media reloaded during seek");
    this.lastRate = this.media.playbackRate;
    this.setBuffering(false);
  }

  private emitReady(): void {
    if (!this.destroyed) this.events.emit("ready", { duration: knownDurationSeconds(this.media) });
  }

  private setBuffering(buffering: boolean): void {
    if (buffering === this.buffering) return;
    this.buffering = buffering;
    this.events.emit("buffering", { buffering });
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error("player destroyed");
  }
}
