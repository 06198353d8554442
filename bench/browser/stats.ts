/**
 * Turns per-page (wall time, position) samples into inter-viewer offsets on
 * one timeline: each page's position is interpolated at common instants, and
 * the offset at an instant is the spread (max − min) across pages.
 */
import type { Sample } from "./clock-shift.js";

/** Position (s) of one page at epoch `t`, interpolated; null if not playing around `t`. */
export function positionAt(samples: readonly Sample[], t: number, maxGapMs = 60): number | null {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 1 || t < (samples[0]?.[0] ?? Number.POSITIVE_INFINITY) || t > (samples[hi]?.[0] ?? 0)) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((samples[mid]?.[0] ?? 0) <= t) lo = mid;
    else hi = mid;
  }
  const a = samples[lo];
  const b = samples[hi];
  if (!a || !b || a[2] || b[2] || b[0] - a[0] > maxGapMs) return null;
  const rate = (b[1] - a[1]) / ((b[0] - a[0]) / 1000);
  if (rate < 0.5 || rate > 1.5) return null; // a seek or stall between the samples
  return a[1] + ((t - a[0]) / 1000) * rate;
}

export interface SpreadPoint {
  t: number;
  spreadMs: number;
}

/** Spread across pages every `stepMs` from `from` to `to` (epoch ms), where all pages play. */
export function spreads(pages: readonly Sample[][], from: number, to: number, stepMs = 20): SpreadPoint[] {
  const out: SpreadPoint[] = [];
  for (let t = from; t <= to; t += stepMs) {
    const ps = pages.map((s) => positionAt(s, t));
    if (ps.some((p) => p === null)) continue;
    const xs = ps as number[];
    out.push({ t, spreadMs: (Math.max(...xs) - Math.min(...xs)) * 1000 });
  }
  return out;
}

/**
 * First instant after `from` from which the spread stays ≤ `limitMs` for
 * `holdMs` with every viewer playing throughout (a gap in the points — a
 * viewer paused or seeking — breaks the hold); ms after `from`.
 */
export function convergenceMs(
  points: readonly SpreadPoint[],
  from: number,
  limitMs: number,
  holdMs = 1000,
  maxGapMs = 100,
): number | null {
  for (let i = 0; i < points.length; i++) {
    const start = points[i];
    if (!start || start.t < from || start.spreadMs > limitMs) continue;
    let ok = true;
    let j = i;
    for (; j < points.length && (points[j]?.t ?? 0) <= start.t + holdMs; j++) {
      const gap = j > i ? (points[j]?.t ?? 0) - (points[j - 1]?.t ?? 0) : 0;
      if ((points[j]?.spreadMs ?? 0) > limitMs || gap > maxGapMs) {
        ok = false;
        break;
      }
    }
    const last = points[j - 1];
    if (ok && last && last.t >= start.t + holdMs * 0.9) return start.t - from;
  }
  return null;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
