/**
 * The rate a viewer meant when they changed the speed while the engine had
 * a correction of its own applied (a catch-up, a trim, a stretched rest:
 * player rate = room rate × factor). A speed menu or `playbackRate = 1.5`
 * sets the rate outright; mpv's `]`/`[`/`{`/`}` multiply the speed in
 * effect, correction included (1.002 × 1.1 = 1.1022). Both readings are
 * candidates; the rounder one (fewer decimals) is what a person picked.
 */
export function intendedRate(reported: number, correctionFactor: number): number {
  if (!(correctionFactor > 0) || Math.abs(correctionFactor - 1) < 1e-9) return reported;
  const relative = Math.round((reported / correctionFactor) * 1e4) / 1e4;
  return decimals(relative) < decimals(reported) ? relative : reported;
}

/** Decimal places of `x` (0–4; 5 for anything finer). */
function decimals(x: number): number {
  for (let d = 0; d <= 4; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * 10 ** d) return d;
  }
  return 5;
}
