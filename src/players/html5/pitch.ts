/**
 * How a rate is applied to an HTMLMediaElement: which of Chromium's two
 * audio paths plays it.
 *
 * With `preservesPitch` on (the default), any rate other than 1 goes through
 * time-stretching (WSOLA), which costs the media clock a step of about
 * −20 ms each time it is entered and makes `currentTime` saw-tooth by ±4 ms
 * around the true position while it runs (measured in Chromium 156 on the
 * test clip, `currentTime` against the wall clock every 5 ms). With
 * `preservesPitch` off, the rate is applied by resampling: no step, reads
 * within ±0.2 ms, and even 1.0005 is applied exactly (WSOLA does not apply
 * 1.001 at all). Resampling moves the pitch with the rate, so it is used
 * only for rates within ±`RESAMPLED_RATE_DELTA` of 1 — the sync engine's
 * fine corrections — where the shift is at most 8.7 cents, under what a
 * listener can hear (about 10 cents); every other rate (the room's 1.5×, a
 * larger correction) is played with the element's own pitch setting.
 */

/** Rates within this of 1 are resampled (pitch follows, ≤ 8.7 cents). */
export const RESAMPLED_RATE_DELTA = 0.005;

/** True when `rate` is applied by resampling rather than time-stretching. */
export function isResampledRate(rate: number): boolean {
  return Math.abs(rate - 1) <= RESAMPLED_RATE_DELTA + 1e-12;
}

/**
 * Sets `preservesPitch` for `rate` before the rate itself is set: off within
 * the resampled band, otherwise `ownPitch` (the element's setting when the
 * adapter took it over). At exactly 1 both paths play the media as is.
 * Returns whether the element's setting is now overridden (to be restored).
 */
export function applyPitchFor(media: HTMLMediaElement, rate: number, ownPitch: boolean): boolean {
  const want = isResampledRate(rate) ? false : ownPitch;
  if (media.preservesPitch !== want) media.preservesPitch = want;
  return want !== ownPitch;
}
