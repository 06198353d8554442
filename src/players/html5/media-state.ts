/**
 * Small pure helpers about HTMLMediaElement values and browser limits.
 */

/** Chromium throws NotSupportedError for playbackRate outside this range. */
export const MIN_PLAYBACK_RATE = 0.0625;
export const MAX_PLAYBACK_RATE = 16;

/** Clamp a requested rate to what Chromium accepts; rejects non-positive or non-finite rates. */
export function clampRate(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`playback rate must be a positive number, got ${rate}`);
  return Math.min(MAX_PLAYBACK_RATE, Math.max(MIN_PLAYBACK_RATE, rate));
}

/** Duration in seconds, or null while unknown (NaN) or unbounded (live: Infinity). */
export function knownDurationSeconds(media: HTMLMediaElement): number | null {
  return Number.isFinite(media.duration) ? media.duration : null;
}

/** Clamp a seek target to the seekable extent the element knows about. */
export function clampSeekTarget(media: HTMLMediaElement, positionSeconds: number): number {
  if (!Number.isFinite(positionSeconds)) throw new RangeError(`seek position must be finite, got ${positionSeconds}`);
  const durationSeconds = knownDurationSeconds(media);
  const upper = durationSeconds ?? Number.POSITIVE_INFINITY;
  return Math.min(upper, Math.max(0, positionSeconds));
}

const MEDIA_ERROR_NAMES: Readonly<Record<number, string>> = {
  1: "MEDIA_ERR_ABORTED",
  2: "MEDIA_ERR_NETWORK",
  3: "MEDIA_ERR_DECODE",
  4: "MEDIA_ERR_SRC_NOT_SUPPORTED",
};

/** A readable message for the element's current `error`. */
export function describeMediaError(media: HTMLMediaElement): string {
  const err = media.error;
  if (!err) return "media error";
  const name = MEDIA_ERROR_NAMES[err.code] ?? `code ${err.code}`;
  return err.message ? `${name}: ${err.message}` : name;
}

/** The element has at least metadata (duration, dimensions): seeks apply immediately. */
export function hasMetadata(media: HTMLMediaElement): boolean {
  return media.readyState >= HTMLMediaElement.HAVE_METADATA;
}

/**
 * Resolves at the element's next `loadedmetadata`; rejects when `signal`
 * aborts first, or when the media fails (`error`, or a fatal hls.js error
 * as MEDIA_LOAD_ERROR_EVENT) — metadata will not come then.
 */
export function waitForMetadata(media: HTMLMediaElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = new AbortController();
    const settle = (err?: Error) => {
      done.abort();
      if (err) reject(err);
      else resolve();
    };
    if (signal.aborted) return reject(new Error("player destroyed"));
    const opts = { once: true, signal: done.signal };
    signal.addEventListener("abort", () => settle(new Error("player destroyed")), opts);
    media.addEventListener("loadedmetadata", () => settle(), opts);
    media.addEventListener("error", () => settle(new Error(`media failed before metadata: ${describeMediaError(media)}`)), opts);
    media.addEventListener(
      MEDIA_LOAD_ERROR_EVENT,
      (e) => settle(new Error(`media failed before metadata: ${(e as CustomEvent<MediaLoadErrorDetail>).detail.message}`)),
      opts,
    );
  });
}

/** The element has data for the current position and at least a bit beyond. */
export function hasFutureData(media: HTMLMediaElement): boolean {
  return media.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
}

/**
 * Name of the DOM event `loadMedia` dispatches on the element for errors the
 * element itself cannot report (fatal hls.js errors). `detail: { message }`.
 */
export const MEDIA_LOAD_ERROR_EVENT = "opensyncparty:load-error";

export interface MediaLoadErrorDetail {
  message: string;
}
