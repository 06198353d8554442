/**
 * Seeks through mpv, telling own seeks from everyone else's without timing
 * guesses, using two facts of mpv's IPC (checked against mpv 0.35):
 *
 * - every executed `seek` command produces one `seek` event, and mpv writes
 *   the reply to a command before any event that command causes;
 * - `playback-restart` follows when the last of a run of seeks has landed
 *   (overlapping seeks share one restart).
 *
 * So an own seek is "armed" when its reply is read (synchronously, before
 * the next line); a `seek` event while one
 * is armed is ours, any other `seek` event is the viewer's. To keep the
 * one-command-one-event rule, at most one own seek command is outstanding;
 * requests made meanwhile are merged (the newest target wins, every caller
 * resolves when the player lands).
 */
import type { MpvIpc } from "./mpv-ipc.js";

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

interface Batch {
  targetSeconds: number;
  requestedAtMs: number;
  waiters: Waiter[];
}

/** A seek that mpv started and that has not landed yet. */
interface Landing {
  own: boolean;
  startedAtMs: number;
  waiters: Waiter[];
}

export interface LandedSeek {
  own: boolean;
  /** Own: request → playback-restart. Viewer's: `seek` event → playback-restart. */
  latencyMs: number;
}

export class MpvSeeks {
  private queued: Batch | null = null;
  private inFlight: Batch | null = null;
  private armed = false;
  private landing: Landing | null = null;

  constructor(
    private readonly ipc: MpvIpc,
    private readonly now: () => number,
  ) {}

  /** Seek to `targetSeconds`; resolves once mpv has landed (playback-restart). */
  request(targetSeconds: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (this.queued) {
        this.queued.targetSeconds = targetSeconds;
        this.queued.requestedAtMs = this.now();
        this.queued.waiters.push(waiter);
      } else {
        this.queued = { targetSeconds, requestedAtMs: this.now(), waiters: [waiter] };
      }
      this.sendNext();
    });
  }

  /** Handle mpv's `seek` event; returns true when it was the viewer's seek. */
  onSeekEvent(): boolean {
    const carried = this.landing?.waiters ?? [];
    if (this.inFlight && this.armed) {
      const batch = this.inFlight;
      this.inFlight = null;
      this.armed = false;
      this.landing = { own: true, startedAtMs: batch.requestedAtMs, waiters: [...carried, ...batch.waiters] };
      this.sendNext();
      return false;
    }
    this.landing = { own: false, startedAtMs: this.now(), waiters: carried };
    return true;
  }

  /** Handle `playback-restart`: the landed seek, or null when no seek was under way (file start). */
  onPlaybackRestart(): { landed: LandedSeek; settle: () => void } | null {
    const landing = this.landing;
    if (!landing) return null;
    this.landing = null;
    return {
      landed: { own: landing.own, latencyMs: this.now() - landing.startedAtMs },
      settle: () => {
        for (const w of landing.waiters) w.resolve();
      },
    };
  }

  /** Fail every seek not landed yet (file ended or changed, adapter destroyed). */
  rejectAll(reason: string): void {
    const waiters = [...(this.landing?.waiters ?? []), ...(this.queued?.waiters ?? [])];
    // The in-flight command's reply is still due; its batch fails here and is ignored then.
    if (this.inFlight) waiters.push(...this.inFlight.waiters.splice(0));
    this.landing = null;
    this.queued = null;
    for (const w of waiters) w.reject(new Error(reason));
  }

  private sendNext(): void {
    if (this.inFlight || !this.queued) return;
    const batch = this.queued;
    this.queued = null;
    this.inFlight = batch;
    this.armed = false;
    const onReply = (succeeded: boolean) => {
      if (succeeded && this.inFlight === batch) this.armed = true;
    };
    this.ipc.command(["seek", batch.targetSeconds, "absolute+exact"], { onReply }).catch((err: unknown) => {
      if (this.inFlight === batch) this.inFlight = null;
      for (const w of batch.waiters) w.reject(err instanceof Error ? err : new Error(String(err)));
      this.sendNext();
    });
  }
}
