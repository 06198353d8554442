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
 *
 * Seeks that never finish: Chromium's native HLS player can leave a seek
 * `seeking` for good with nothing more buffered (seen deterministically on a
 * seek past the last video frame; issuing the same seek again lands it). So
 * an own seek still unfinished after SEEK_RETRY_MS, with the buffered ranges
 * unchanged meanwhile, is issued again — at the same target, timed from the
 * first request — backing off ×2 up to SEEK_RETRY_MAX_MS while it keeps
 * stalling. A seek whose media fails instead rejects (`rejectAll`), as does
 * every seek pending when the element reloads or the adapter is destroyed.
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

/** An own seek not finished after this long, with nothing new buffered, is issued again (ms). */
export const SEEK_RETRY_MS = 1500;
/** Upper bound of the doubling interval between re-issues of a stalled seek (ms). */
export const SEEK_RETRY_MAX_MS = 12_000;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class SeekTracker {
  private waiters: Waiter[] = [];
  private startedAtMs: number | null = null;
  private startedByUs = false;
  private frameCallbackId: number | null = null;
  /** Target and request time of the pending own seek (for re-issuing it). */
  private pending: { targetSeconds: number; requestedAtMs: number } | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Timing of the most recent completed seek. */
  last: SeekTiming | null = null;
  /** Own seeks issued again because the element left them stalled. */
  reissued = 0;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly own: OwnChanges,
    private readonly now: () => number,
  ) {}

  /** Start an own seek to `targetSeconds`; resolves at the next `seeked`. */
  request(targetSeconds: number): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    const requestedAtMs = this.now();
    this.own.expect("seek", { requestedAtMs });
    this.media.currentTime = targetSeconds;
    this.pending = { targetSeconds, requestedAtMs };
    this.armRetry(SEEK_RETRY_MS);
    return done;
  }

  private armRetry(delayMs: number): void {
    this.cancelRetry();
    const mark = bufferedMark(this.media);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryIfStalled(mark, delayMs);
    }, delayMs);
  }

  private retryIfStalled(mark: string, delayMs: number): void {
    const pending = this.pending;
    const media = this.media;
    if (pending === null || this.waiters.length === 0 || !media.seeking) return;
    // Someone else's seek leads now: its `seeked` settles the waiters.
    if (Math.abs(media.currentTime - pending.targetSeconds) > 1e-3) return;
    if (bufferedMark(media) === mark) {
      this.reissued += 1;
      this.own.expect("seek", { requestedAtMs: pending.requestedAtMs });
      media.currentTime = pending.targetSeconds;
    }
    this.armRetry(Math.min(delayMs * 2, SEEK_RETRY_MAX_MS));
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
    this.pending = null;
    this.cancelRetry();
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

  /** Fail every pending seek (media failed, element reloaded, adapter destroyed). */
  rejectAll(reason: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.startedAtMs = null;
    this.pending = null;
    this.cancelRetry();
    for (const w of waiters) w.reject(new Error(reason));
  }

  destroy(): void {
    this.cancelFrameCallback();
    this.rejectAll("player destroyed");
  }
}

/** What the element holds: changes whenever data arrives (or is evicted). */
function bufferedMark(media: HTMLMediaElement): string {
  const b = media.buffered;
  let mark = "";
  for (let i = 0; i < b.length; i++) mark += `${b.start(i)}-${b.end(i)};`;
  return mark;
}
