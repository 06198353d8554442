/**
 * What the bench measures, on the TRUE simulation clock against TRUE media
 * positions: each viewer's error from the room timeline, the spread between
 * viewers (max − min error), convergence after events, corrective seeks.
 */
export type RoomEventKind = "seek" | "play" | "pause";
export type ViewerEventKind = "join" | "stall" | "disconnect";

export interface Sample {
  t: number;
  playing: boolean;
  /** Error per online viewer, ms; `personal` marks a viewer inside its own join/stall/reconnect window. */
  viewers: Array<{ id: string; errMs: number; personal: boolean }>;
}

export interface ViewerWindow {
  id: string;
  kind: ViewerEventKind;
  fromMs: number;
  /** End of the disturbance (stall end, reconnect), ms. */
  toMs: number;
}

export const SETTLE_WINDOW_MS = 3000;
export const CONVERGED_SPREAD_MS = 20;
export const CONVERGED_ERROR_MS = 100;
export const CONVERGED_HOLD_MS = 500;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export function spread(s: Sample, include: (v: Sample["viewers"][number]) => boolean): number | null {
  const errs = s.viewers.filter(include).map((v) => v.errMs);
  if (errs.length < 2) return null;
  return Math.max(...errs) - Math.min(...errs);
}

export function inRoomWindow(t: number, roomEvents: Array<{ t: number }>): boolean {
  return roomEvents.some((e) => t >= e.t && t < e.t + SETTLE_WINDOW_MS);
}

/**
 * Time from `fromMs` until the room is converged and stays so for
 * CONVERGED_HOLD_MS: spread ≤ 20 ms and every viewer within 100 ms of the
 * timeline (other viewers inside their own disturbance are left out).
 * Infinity if that never happens before `untilMs`.
 */
export function convergenceMs(samples: Sample[], fromMs: number, untilMs: number, focusId: string | null): number {
  let since: number | null = null;
  for (const s of samples) {
    if (s.t < fromMs) continue;
    if (s.t > untilMs) break;
    const vs = s.viewers.filter((v) => v.id === focusId || !v.personal);
    const ok =
      s.playing &&
      vs.length > 0 &&
      (vs.length < 2 || (spread(s, (v) => vs.includes(v)) ?? 0) <= CONVERGED_SPREAD_MS) &&
      vs.every((v) => Math.abs(v.errMs) <= CONVERGED_ERROR_MS) &&
      (focusId === null || vs.some((v) => v.id === focusId));
    if (!ok) since = null;
    else if (since === null) since = s.t;
    if (since !== null && s.t - since >= CONVERGED_HOLD_MS) return since - fromMs;
  }
  return Number.POSITIVE_INFINITY;
}
