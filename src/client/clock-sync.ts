/**
 * ClockSync: estimates the server's clock from ping/pong exchanges, so that
 * every member can act at the same server instant. Isomorphic: it reads time
 * and sets timers only through the functions it is given.
 *
 * A burst of pings at start gives a first estimate within about a second;
 * refresh pings keep it fresh. The estimate rests on the sample with the
 * smallest error bound (min-delay filter with aging), extrapolated by a
 * fitted skew; delay spikes are dropped and clock jumps detected (see
 * ./clock/offset-estimator.ts). Lost pongs are simply forgotten: the last
 * good estimate stays in use.
 */
import type { PongPayload } from "../protocol/index.js";
import { sampleFromPong } from "./clock/clock-sample.js";
import { type ClockSyncTunables, defaultClockSyncTunables } from "./clock/clock-sync-options.js";
import { OffsetEstimator, type SampleVerdict } from "./clock/offset-estimator.js";
import { Emitter } from "./emitter.js";

export type { ClockSyncTunables } from "./clock/clock-sync-options.js";

export interface ClockSyncOptions extends Partial<ClockSyncTunables> {
  /** Local monotonic clock, ms. */
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Send `ping {client_ts}`; the pong must come back through handlePong(). */
  sendPing: (clientTs: number) => void;
}

export interface ClockSyncEvents {
  sync: { offsetMs: number; rttMs: number; errorBoundMs: number; verdict: SampleVerdict };
  jump: { fromOffsetMs: number; toOffsetMs: number };
  /** The local clock itself jumped (or the page was suspended): every sample was dropped and a burst started. */
  resync: { reason: "local_clock" };
}

const RTT_HISTORY = 16;

export class ClockSync {
  private readonly t: ClockSyncTunables;
  private readonly estimator: OffsetEstimator;
  private readonly emitter = new Emitter<ClockSyncEvents>();
  private readonly outstanding = new Map<number, number>();
  private readonly rttHistory: number[] = [];
  private timer: unknown = null;
  private burstLeft = 0;
  private running = false;
  private lastClientTs = Number.NEGATIVE_INFINITY;
  /** Local time until which the estimate is in doubt (see verify()); null when trusted. */
  private verifyUntil: number | null = null;

  constructor(private readonly options: ClockSyncOptions) {
    this.t = { ...defaultClockSyncTunables, ...definedOnly(options) };
    this.estimator = new OffsetEstimator(this.t);
  }

  on<E extends keyof ClockSyncEvents>(event: E, fn: (data: ClockSyncEvents[E]) => void): () => void {
    return this.emitter.on(event, fn);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.burstLeft = this.t.burstCount;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.options.clearTimeout(this.timer);
    this.timer = null;
    this.outstanding.clear();
  }

  /**
   * Start over: the local clock jumped, or the page/event loop was
   * suspended, so samples taken on the old time base mean nothing. Drops
   * them all and pings at the burst pace; `synced` is false until
   * `minSamplesToSync` new samples arrived (about 0.5 s).
   */
  resync(): void {
    this.verifyUntil = null;
    this.estimator.reset();
    this.outstanding.clear();
    this.lastClientTs = Number.NEGATIVE_INFINITY;
    this.burstLeft = this.t.burstCount;
    this.emitter.emit("resync", { reason: "local_clock" });
    if (this.running) this.reschedule(0);
  }

  /**
   * The page or event loop stood still for a while, or the local clock may
   * have jumped ahead: the estimate is in doubt but probably fine. `synced`
   * is false until a new sample agrees with it (one round trip) or a jump is
   * confirmed (3 samples at the burst pace) — or about 1 s passed without a
   * verdict (then the estimate is trusted again).
   * Cheaper than resync(), which throws good samples away.
   */
  verify(): void {
    if (this.estimator.sampleCount === 0) return;
    // Long enough to confirm a jump (jumpConfirmSamples at the burst pace + round trips), short
    // enough that a busy page whose pongs all come back as delay spikes is not left waiting.
    const confirmMs = this.t.burstIntervalMs * (this.t.jumpConfirmSamples + 2) + 2 * Math.max(this.rttMs, 100);
    this.verifyUntil = this.options.now() + confirmMs;
    this.burstLeft = Math.max(this.burstLeft, this.t.jumpConfirmSamples + 1);
    if (this.running) this.reschedule(0);
  }

  /** Local monotonic time, ms (lets a ClockSync serve as a SyncEngine clock). */
  now(): number {
    return this.options.now();
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return this.options.setTimeout(fn, ms);
  }

  clearTimeout(handle: unknown): void {
    this.options.clearTimeout(handle);
  }

  get synced(): boolean {
    if (this.verifyUntil !== null) {
      if (this.options.now() < this.verifyUntil) return false;
      this.verifyUntil = null; // no verdict in time: trust the estimate again (its bound has grown meanwhile)
    }
    const n = this.estimator.sampleCount;
    return n >= Math.min(this.t.minSamplesToSync, this.t.burstCount) || (n > 0 && this.burstLeft === 0);
  }

  /** Server clock minus local clock, ms (0 before the first sample). */
  get offsetMs(): number {
    return this.estimator.estimateAt(this.options.now())?.offsetMs ?? 0;
  }

  /** Typical round trip: the median of recent samples, ms (0 before any). */
  get rttMs(): number {
    if (this.rttHistory.length === 0) return 0;
    const sorted = [...this.rttHistory].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  /** How far the estimate can be from the truth now, ms (Infinity before any sample). */
  get errorBoundMs(): number {
    return this.estimator.estimateAt(this.options.now())?.errorBoundMs ?? Number.POSITIVE_INFINITY;
  }

  /** Estimated skew of the local clock against the server's, ppm. */
  get skewPpm(): number {
    return this.estimator.skewPpm();
  }

  serverNow(): number {
    return this.toServerTime(this.options.now());
  }

  toServerTime(localMs: number): number {
    return localMs + (this.estimator.estimateAt(localMs)?.offsetMs ?? 0);
  }

  toLocalTime(serverMs: number): number {
    const guess = serverMs - this.offsetMs;
    return serverMs - (this.estimator.estimateAt(guess)?.offsetMs ?? 0);
  }

  handlePong(pong: PongPayload, localReceiveTs: number): void {
    if (!this.outstanding.delete(pong.client_ts)) return; // unknown, duplicate or timed out
    const sample = sampleFromPong(pong, localReceiveTs);
    if (!sample) return;
    this.rttHistory.push(sample.delayMs);
    if (this.rttHistory.length > RTT_HISTORY) this.rttHistory.shift();
    const before = this.estimator.estimateAt(sample.localMs)?.offsetMs ?? 0;
    const verdict = this.estimator.add(sample);
    if (verdict === "jump") {
      this.emitter.emit("jump", { fromOffsetMs: before, toOffsetMs: this.offsetMs });
      this.burstLeft = this.t.burstCount; // re-measure the new clock quickly
      this.reschedule(this.t.burstIntervalMs);
    } else if (verdict === "suspect" && this.running && this.burstLeft === 0) {
      this.burstLeft = this.t.jumpConfirmSamples; // confirm or refute without waiting a refresh
      this.reschedule(this.t.burstIntervalMs);
    }
    if (verdict === "accepted" || verdict === "jump") {
      this.verifyUntil = null;
      this.emitter.emit("sync", {
        offsetMs: this.offsetMs,
        rttMs: this.rttMs,
        errorBoundMs: this.errorBoundMs,
        verdict,
      });
    }
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    let clientTs = this.options.now();
    // A "monotonic" clock that went back: every sample we hold is on another time base.
    if (clientTs < this.lastClientTs - 1) return this.resync();
    this.expireOutstanding();
    if (clientTs <= this.lastClientTs) clientTs = this.lastClientTs + 0.001;
    this.lastClientTs = clientTs;
    this.outstanding.set(clientTs, clientTs);
    if (this.burstLeft > 0) this.burstLeft--;
    this.reschedule(this.burstLeft > 0 ? this.t.burstIntervalMs : this.t.refreshIntervalMs);
    this.options.sendPing(clientTs);
  }

  private reschedule(ms: number): void {
    if (!this.running) return;
    if (this.timer !== null) this.options.clearTimeout(this.timer);
    this.timer = this.options.setTimeout(() => this.tick(), ms);
  }

  private expireOutstanding(): void {
    const oldest = this.options.now() - this.t.pingTimeoutMs;
    for (const sentAt of this.outstanding.keys()) if (sentAt < oldest) this.outstanding.delete(sentAt);
  }
}

function definedOnly(o: ClockSyncOptions): Partial<ClockSyncTunables> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && typeof v === "number") out[k] = v;
  return out as Partial<ClockSyncTunables>;
}
