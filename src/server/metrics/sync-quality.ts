/**
 * Sync quality from members' `sync_report`s: how far members are from the
 * room's timeline, how long they stay out of sync, and how often their
 * players stall or their engines seek to correct. Per-member state is only
 * the previous report, dropped when the session ends.
 */
import type { Counter, Histogram } from "prom-client";
import type { SyncReportEvent } from "../core/observer.js";

/** |offset| above this counts as out of sync, ms. ITU-R BT.1359 puts detectable lip-sync error at ~45 ms early / ~125 ms late. */
export const OUT_OF_SYNC_MS = 100;
/** A gap between two reports longer than this (member paused reporting) is not counted as out-of-sync time, ms. */
export const MAX_REPORT_GAP_MS = 10_000;

interface LastReport {
  atMs: number;
  outOfSync: boolean;
  stalls: number;
  correctiveSeeks: number;
}

export interface SyncQualitySeries {
  offset: Histogram;
  outOfSyncSeconds: Counter;
  stalls: Counter;
  correctiveSeeks: Counter;
}

export class SyncQuality {
  private readonly last = new Map<string, LastReport>();

  constructor(private readonly series: SyncQualitySeries) {}

  report(e: SyncReportEvent): void {
    const prev = this.last.get(e.sessionId);
    const absMs = Math.abs(e.offsetMs);
    this.series.offset.observe(absMs / 1000);
    if (prev?.outOfSync) {
      const gap = e.atMs - prev.atMs;
      if (gap > 0 && gap <= MAX_REPORT_GAP_MS) this.series.outOfSyncSeconds.inc(gap / 1000);
    }
    const stalls = e.stalls ?? prev?.stalls ?? 0;
    const seeks = e.correctiveSeeks ?? prev?.correctiveSeeks ?? 0;
    // Counts are cumulative per member; a smaller one means the member rejoined and started again from 0.
    this.series.stalls.inc(increase(prev?.stalls, stalls));
    this.series.correctiveSeeks.inc(increase(prev?.correctiveSeeks, seeks));
    this.last.set(e.sessionId, { atMs: e.atMs, outOfSync: absMs > OUT_OF_SYNC_MS, stalls, correctiveSeeks: seeks });
  }

  forget(sessionId: string): void {
    this.last.delete(sessionId);
  }
}

function increase(before: number | undefined, now: number): number {
  if (before === undefined || now < before) return now;
  return now - before;
}
