/**
 * Where a seek or start landed, checked once the player should be moving
 * and settled: the offset then teaches the player's seek latency (a seek's
 * aim) or its start delay (a start's error). "settle" only waits, without
 * learning. One landing is pending at a time; a newer one replaces it.
 */
import type { Player } from "../player.js";
import type { LandingKind, PlayerDriver } from "./player-driver.js";

/** "start": a scheduled start (learns the start delay); seeks learn the seek aim; "settle" only waits. */
export type LandingCheckKind = LandingKind | "start" | "settle";

type Landing = { atMs: number; kind: LandingCheckKind };

export class LandingCheck {
  private landing: Landing | null = null;

  constructor(
    private readonly driver: Pick<PlayerDriver, "seekLatency" | "startDelay" | "startMeasured">,
    private readonly player: Pick<Player, "isBuffering">,
    /** Time after the media should move before its landing is read, ms. */
    private readonly settleMs: number,
  ) {}

  /** A start just told to play is checked once it should be moving (start delay) and settled. */
  afterStart(nowMs: number, kind: "start" | "settle"): void {
    this.landing = { atMs: nowMs + this.driver.startDelay.ms + this.settleMs, kind };
  }

  /** A seek landed at `nowMs` (and, for a start kind, the player was just told to play); null: nothing to check. */
  afterSeek(nowMs: number, kind: LandingKind | null): void {
    const base = kind === "seek-start" || kind === "waited-start" ? this.driver.startDelay.ms : 0;
    this.landing = kind === null ? null : { atMs: nowMs + base + this.settleMs, kind };
  }

  /**
   * A start's media runs steadily (its start delay was just measured): its
   * landing is checked now instead of at its guessed instant. False when
   * there is no such landing still to wait for.
   */
  startSteady(nowMs: number): boolean {
    const landing = this.landing;
    if (!landing || landing.kind === "seek" || nowMs >= landing.atMs) return false;
    landing.atMs = nowMs;
    return true;
  }

  /** A landing is pending and not due yet. */
  waiting(nowMs: number): boolean {
    return this.landing !== null && nowMs < this.landing.atMs;
  }

  /**
   * False while a landing is pending and not due; once due, learns from
   * `offsetMs` (the filtered offset, ms, positive: ahead), forgets it and
   * returns true. True at once when none is pending.
   */
  check(nowMs: number, offsetMs: number): boolean {
    const landing = this.landing;
    if (!landing) return true;
    if (nowMs < landing.atMs) return false;
    this.learn(landing, offsetMs);
    this.landing = null;
    return true;
  }

  clear(): void {
    this.landing = null;
  }

  private learn(landing: Landing, offsetMs: number): void {
    if (landing.kind === "settle" || this.player.isBuffering()) return;
    const startError = landing.kind === "start" || landing.kind === "waited-start";
    if (!startError) return this.driver.seekLatency.observeLanding(-offsetMs);
    // A start measured on the media clock is the player's whole delay; what is left at its landing is
    // not the player's (a clock estimate that moved meanwhile, a late timer) and must not bias the next start.
    if (this.driver.startMeasured) return;
    this.driver.startDelay.observeLanding(-offsetMs);
  }
}
