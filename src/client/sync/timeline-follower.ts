/**
 * The engine's tick: one look at the player against the room's timeline.
 * It waits while the player buffers, seeks or starts, while the clock is
 * not synced and while the viewer's own command is held; otherwise it reads
 * the offset at the estimated server time and decides: on a paused line,
 * stop the player there; on a playing line, start a still player (after a
 * seek when it stands far off), seek one running far off, bend the rate of
 * one near the line, and leave one inside the deadzone alone. docs/sync.md
 * explains the policy and every constant.
 */
import { effectiveTimeline, positionAt, type Timeline } from "../../protocol/index.js";
import type { Player } from "../player.js";
import type { CommandHold } from "./command-hold.js";
import type { SyncEngineTunables } from "./engine-options.js";
import type { EngineClock, SyncState } from "./engine-types.js";
import type { FollowState } from "./follow-state.js";
import type { LandingCheck } from "./landing-check.js";
import { bothAtEnd } from "./media-end.js";
import type { OffsetMeter } from "./offset-meter.js";
import type { PlayerDriver } from "./player-driver.js";
import type { PlayerMoves } from "./player-moves.js";
import type { RateController } from "./rate-controller.js";
import type { TransitionTimer } from "./transition-timer.js";

/** The engine's parts the tick reads and moves; the SyncEngine makes them. */
export interface FollowerParts {
  t: SyncEngineTunables;
  player: Player;
  clock: EngineClock;
  state: FollowState;
  meter: OffsetMeter;
  rate: RateController;
  driver: PlayerDriver;
  hold: CommandHold;
  landing: LandingCheck;
  transitions: TransitionTimer;
  moves: PlayerMoves;
  setState: (state: SyncState) => void;
}

export class TimelineFollower {
  constructor(private readonly p: FollowerParts) {}

  /** One look at the player against the line: wait, leave it, bend its rate, seek, start or stop it. */
  evaluate(): void {
    const { t, player, clock, state: s, driver, hold, moves, setState } = this.p;
    if (s.stopped) return;
    const next = s.next;
    if (!next) return setState("idle");
    // The viewer's change, told now, has been handled (a command, or for a guest an evaluate of its own).
    if (moves.viewerActed()) return;
    if (player.isBuffering()) return setState("buffering");
    if (driver.seekInFlight) return setState("seeking");
    if (driver.startInFlight) return setState("waiting");
    if (clock.synced === false) return setState("waiting");
    if (s.realignAfterClock) {
      s.realignAfterClock = false;
      s.openCatchUp(clock.now());
    }
    if (this.p.transitions.pending) this.p.transitions.schedule(s.prev, s.next);
    const nowMs = clock.now();
    const command = hold.commandAt(nowMs);
    if (command === "holding") return setState("waiting");
    if (command === "expired") s.explicitAlign = true; // the room never answered: go back to its timeline
    const heldRate = hold.rateAt(nowMs);
    if (heldRate === "holding") return setState("waiting");
    if (heldRate === "expired") moves.applyRate(next.rate); // the room never took our speed: back to its rate
    const serverNow = clock.serverNow();
    if (this.p.transitions.fired === next && serverNow < next.anchor_server_ts) return setState("waiting");
    const eff = effectiveTimeline(s.prev, next, serverNow);
    const timelinePos = positionAt(eff, serverNow);
    const offset = this.read(eff, timelinePos, nowMs);
    const positionAllowed = s.correction || s.explicitAlign;

    if (eff.play_state === "paused") {
      if (!player.isPaused()) void player.pause();
      if (positionAllowed && Math.abs(offset) > t.pausedSeekThresholdMs && !this.bothAtEnd(eff, timelinePos)) {
        return moves.seekTo(timelinePos + s.extraOffsetMs / 1000, null);
      }
      s.explicitAlign = false;
      return setState(this.p.transitions.armed ? "waiting" : "synced");
    }
    if (player.isPaused()) {
      // The media ended a moment before the room's line does: wait there (playing would restart it).
      if (this.bothAtEnd(eff, timelinePos)) return setState("synced");
      if (positionAllowed && Math.abs(offset) > t.pausedSeekThresholdMs) return moves.seekThenStart(eff, serverNow);
      s.explicitAlign = false;
      moves.startStill(nowMs);
      return setState("synced");
    }
    if (!this.p.landing.check(nowMs, offset)) return;
    if (!positionAllowed) return setState("synced");
    this.align(eff, offset, nowMs, serverNow);
  }

  /** Reads the offset (ms, filtered) and lets a step in it inform the catch-up window and the rate policy. */
  private read(eff: Timeline, timelinePos: number, nowMs: number): number {
    const { t, player, state: s, meter, rate } = this.p;
    const raw = (player.getPosition() - timelinePos) * 1000;
    const slope = eff.play_state === "playing" && !player.isPaused() ? player.getRate() - eff.rate : 0;
    const offset = meter.read(raw, s.extraOffsetMs, nowMs, slope);
    // A step (the player stuttered or skipped) is a fresh error like a start's: close it with the catch-up law.
    if (Math.abs(meter.stepMs) > t.stepCatchUpMs) s.openCatchUp(nowMs);
    // One beyond the pitch-free limit (a 100–400 ms freeze of a busy page) is decided afresh: a pitch-free
    // correction under way would keep its 10 % for it. (Smaller steps, like time-stretching's ~20 ms entry, keep the correction.)
    if (Math.abs(meter.stepMs) > t.pitchFreeMaxOffsetMs) rate.reset();
    rate.stepWhileTrimming(meter.stepMs, t.trimStepLimitMs);
    // Two ticks after a correction left the timeline's rate, what the rate change cost goes to the rate policy.
    const entryStepMs = meter.entryStepSeen();
    if (entryStepMs !== null) rate.learnEntryStep(entryStepMs);
    return offset;
  }

  /** A running player on a playing line, position corrections allowed: seek far off, else bend the rate. */
  private align(eff: Timeline, offset: number, nowMs: number, serverNow: number): void {
    const { t, player, state: s, meter, rate, driver, moves, setState } = this.p;
    const seekThreshold = rate.supported ? t.seekThresholdMs : t.noRateSeekThresholdMs;
    const cooledDown = nowMs - driver.lastSeekEndMs >= t.seekCooldownMs;
    if (Math.abs(offset) > seekThreshold && (cooledDown || s.explicitAlign)) {
      void player.pause(); // the picture jumps anyway; holding still makes the landing exact
      return moves.seekThenStart(eff, serverNow);
    }
    s.explicitAlign = false;
    if (!s.correction) return setState("synced");
    // Right after leaving the timeline's rate, the step that change costs has not shown in the median yet: count it.
    const pendingStepMs = meter.unseenEntryStepMs(rate.rateEntryStepMs);
    // A browser's rate change shows in its reads late, and the return to the rate gives that back: count it, or the correction overshoots.
    const lagMs = player.pitchFreeRates === true ? (player.getRate() - eff.rate) * t.rateLagMs : 0;
    const delta = rate.decide(offset + pendingStepMs + lagMs, s.catchingUp(nowMs), moves.pitchFreeAt(eff.rate));
    const pitchFree = rate.isPitchFree(delta);
    // Leaving exactly the timeline's rate (a stretched rest never comes within 1e-4 of it) for a rate that pays a step.
    if (delta !== 0 && !pitchFree && Math.abs(player.getRate() - eff.rate) < 5e-5) {
      meter.watchEntryStep();
      // A player that pays for leaving its rate: the step it is about to take is fresh error, closed by the catch-up law.
      if (Math.abs(rate.rateEntryStepMs) > t.deadzoneEnterMs) s.openCatchUp(nowMs);
    }
    moves.applyRate(eff.rate * (1 + delta), delta, eff.rate, pitchFree);
    setState(Math.abs(delta) >= t.minRateDelta ? "correcting" : "synced"); // a trim is still "synced"
  }

  /** The player and the room's line both stand at the media's end (see media-end.ts). */
  private bothAtEnd(eff: Timeline, timelinePos: number): boolean {
    return bothAtEnd(this.p.player, eff, timelinePos, this.p.t.seekThresholdMs);
  }
}
