/**
 * How a rate is applied to an HTMLMediaElement: which of Chromium's two
 * audio paths plays it.
 *
 * With `preservesPitch` on (the default), any rate other than 1 goes through
 * time-stretching (WSOLA), which costs the media clock a step of about
 * −20 ms each time it is entered and makes `currentTime` saw-tooth by ±4 ms
 * around the true position while it runs (measured in Chromium 156 on the
 * test clip, `currentTime` against the wall clock every 5 ms). With
 * `preservesPitch` off, the rate is applied by resampling: no entry step
 * (only a lag of about 75 ms of the rate change, −0.75 ms per 1 % faster,
 * given back on return), reads within ±0.2 ms, and even 1.0005 is applied
 * exactly (WSOLA does not apply 1.001 at all). Resampling moves the pitch
 * with the rate, so it is used only when the sync engine says a rate may
 * (`pitchFree`: its corrections of a room at 1×, ±5 % at most, ±10 % for
 * a fraction of a second after a start); every other rate (the room's
 * 1.5×, the viewer's own change) is played with the element's own pitch
 * setting.
 */

/**
 * Sets `preservesPitch` for the next rate before the rate itself is set:
 * off for a pitch-free rate, otherwise `ownPitch` (the element's setting
 * when the adapter took it over). Returns whether the element's setting is
 * now overridden (to be restored).
 */
export function applyPitchFor(media: HTMLMediaElement, pitchFree: boolean, ownPitch: boolean): boolean {
  const want = pitchFree ? false : ownPitch;
  if (media.preservesPitch !== want) media.preservesPitch = want;
  return want !== ownPitch;
}
