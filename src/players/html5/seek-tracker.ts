/**
 * Seeks on one media element: starts own seeks, tells own `seeking` events
 * from the viewer's, and measures latency.
 *
 * Latency of an own seek runs from the request to `seeked` (Chromium fires
 * `seeked` once the frame at the new position is decoded). A viewer's seek
 * is timed from its `seeking` event, the earliest moment we learn of it.
 * While playing, the time to the first frame presented after the seek is
 * also measured with requestVideoFrameCallback when available.
 *
 * Seeks that overlap: the element aborts the older one (each still fires
 * `seeking`; only the last fires `seeked`), so every pending seek() promise
 * resolves at the next `seeked`, when the element has landed somewhere.
 */
import type { OwnChanges } from "./own-changes.js";

export interface SeekTiming {
  /** True when this adapter requested the seek. */
  own: boolean;
  /** Request (own) or `seeking` event (viewer) time, ms of the adapter clock. */
  startedAtMs: number;
  /** Start → `seeked`, ms. */
  toSeekedMs: number;
  /** Start → first presented frame after `seeked` while playing, ms; null while paused or unsupported. */
  toFirstFrameMs: number | null;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class SeekTracker {
  private waiters: Waiter[] = [];
  private startedAtMs: number | null = null;
  private startedByUs = false;
  private frameCallbackId: number | null = null;
  /** Timing of the most recent completed seek. */
  last: SeekTiming | null = null;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly own: OwnChanges,
    private readonly now: () => number,
  ) {}

  /** Start an own seek to `targetSeconds`; resolves at the next `seeked`. */
  request(targetSeconds: number): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.own.expect("seek", { requestedAtMs: this.now() });
    this.media.currentTime = targetSeconds;
    return done;
  }

  /**
   * Handle `seeking`: "own", "noticed" (the viewer's, already reported when
   * it was noticed; timed from then) or "viewer" (learnt of only now).
   */
  onSeeking(): "own" | "noticed" | "viewer" {
    const change = this.own.consume("seek");
    this.startedByUs = change !== undefined && !change.viewer;
    this.startedAtMs = change?.requestedAtMs ?? this.now();
    return change === undefined ? "viewer" : change.viewer ? "noticed" : "own";
  }

  /** Handle `seeked`: resolves waiting seeks; returns the latency (null if no start was seen). */
  onSeeked(): number | null {
    const nowMs = this.now();
    let latencyMs: number | null = null;
    if (this.startedAtMs !== null) {
      latencyMs = nowMs - this.startedAtMs;
      const timing: SeekTiming = {
        own: this.startedByUs,
        startedAtMs: this.startedAtMs,
        toSeekedMs: latencyMs,
        toFirstFrameMs: null,
      };
      this.last = timing;
      this.measureFirstFrame(timing);
    }
    this.startedAtMs = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
    return latencyMs;
  }

  private measureFirstFrame(timing: SeekTiming): void {
    const media = this.media;
    if (media.paused || !(media instanceof HTMLVideoElement) || !("requestVideoFrameCallback" in media)) return;
    this.cancelFrameCallback();
    this.frameCallbackId = media.requestVideoFrameCallback(() => {
      this.frameCallbackId = null;
      timing.toFirstFrameMs = this.now() - timing.startedAtMs;
    });
  }

  private cancelFrameCallback(): void {
    if (this.frameCallbackId === null) return;
    if (this.media instanceof HTMLVideoElement) this.media.cancelVideoFrameCallback(this.frameCallbackId);
    this.frameCallbackId = null;
  }

  /** Fail every pending seek (element reloaded, adapter destroyed). */
  rejectAll(reason: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.startedAtMs = null;
    for (const w of waiters) w.reject(new Error(reason));
  }

  destroy(): void {
    this.cancelFrameCallback();
    this.rejectAll("player destroyed");
  }
}
