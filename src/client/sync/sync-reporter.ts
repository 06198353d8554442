/**
 * The periodic `sync_report`: every `intervalMs` the member tells the server
 * how far its player is from the room's timeline (raw offset, ms), its RTT
 * (ms) and its learned seek latency (ms), so the host sees everyone's drift.
 * Nothing is sent before there is an offset to tell, nor while the clock is
 * not synced (an offset on a wrong clock would mislead).
 */
import type { SyncReportPayload } from "../../protocol/index.js";
import type { EngineClock } from "./engine-types.js";

export interface SyncReporterOptions {
  clock: Pick<EngineClock, "setTimeout" | "clearTimeout" | "synced" | "rttMs">;
  intervalMs: number;
  /** The player's raw offset from the timeline, ms (positive: ahead); null while there is none to tell. */
  offsetMs: () => number | null;
  /** The RTT to use when the clock knows none, ms. */
  fallbackRttMs: () => number | undefined;
  /** The learned seek latency, ms. */
  seekLatencyMs: () => number;
  send: (report: SyncReportPayload) => void;
}

export class SyncReporter {
  private timer: unknown = null;
  private stopped = false;

  /** Starts reporting at once (the first report is `intervalMs` from now). */
  constructor(private readonly o: SyncReporterOptions) {
    this.schedule();
  }

  /** No more reports (idempotent). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const o = this.o;
    this.timer = o.clock.setTimeout(() => {
      if (this.stopped) return;
      const offsetMs = o.offsetMs();
      if (offsetMs !== null && o.clock.synced !== false) {
        const rtt = o.clock.rttMs ?? o.fallbackRttMs() ?? 0;
        o.send({
          offset_ms: Math.round(offsetMs),
          rtt_ms: Math.max(0, Math.round(rtt)),
          seek_latency_ms: Math.round(o.seekLatencyMs()),
        });
      }
      this.schedule();
    }, o.intervalMs);
  }
}
