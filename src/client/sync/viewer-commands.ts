/**
 * The viewer's own actions in their player. A member who may control the
 * room (the host, or anyone with shared control) turns a play, pause, seek
 * or speed change into a room command, and the player is held until the
 * room answers (CommandHold); anyone else's is undone — play/pause/seek by
 * the next look at the timeline, a speed change at once, with a notice
 * saying why. The engine's own micro-rate corrections never arrive here
 * (adapters report only changes they did not make).
 */
import type { Player } from "../player.js";
import type { CommandHold } from "./command-hold.js";
import type { EngineClock, EngineSend, SyncNotice, SyncState } from "./engine-types.js";
import type { FollowState } from "./follow-state.js";
import type { PlayerDriver } from "./player-driver.js";
import type { PlayerMoves } from "./player-moves.js";
import type { RateController } from "./rate-controller.js";
import { intendedRate } from "./user-rate.js";

/** The engine's parts the viewer's commands use; the SyncEngine makes them. */
export interface ViewerCommandParts {
  player: Player;
  clock: EngineClock;
  state: FollowState;
  rate: RateController;
  driver: PlayerDriver;
  hold: CommandHold;
  moves: PlayerMoves;
  send: EngineSend;
  /** Whether this member may control the room now. */
  canControl: () => boolean;
  setState: (state: SyncState) => void;
  notice: (n: SyncNotice) => void;
  /** Look at the player against the room's timeline again (the engine's tick). */
  evaluate: () => void;
}

export class ViewerCommands {
  constructor(private readonly p: ViewerCommandParts) {}

  /**
   * A pause asked for outside the player (a page button, an API call): stop
   * the player now and hold it while the room answers, like a pause made in
   * the player. Returns the frame it stopped on, s — the room pauses there.
   */
  pauseForCommand(): number {
    const { player, clock, state, hold, rate } = this.p;
    if (!state.stopped) {
      void player.pause();
      hold.holdCommand(clock.now());
      rate.reset();
      this.p.setState("waiting");
    }
    return player.getPosition();
  }

  /** The viewer played, paused or sought in their player, to `position` (s). */
  onUserAction(action: "play" | "pause" | "seek", position: number): void {
    const { player, clock, state: s, hold, rate } = this.p;
    if (s.stopped || !s.next) return;
    if (!this.p.canControl()) return this.p.evaluate(); // not ours to decide: back to the room's timeline
    this.p.send.command(action, position);
    hold.holdCommand(clock.now());
    rate.reset();
    // Everyone, the sender included, starts at the room's scheduled instant.
    if (action === "play" || (action === "seek" && !player.isPaused())) void player.pause();
    this.p.moves.applyRate(s.next.rate);
    this.p.setState("waiting");
  }

  /**
   * A speed change the viewer made in their player (`reported`, the rate it
   * shows). A controller's becomes the room's rate (held until the room
   * answers); anyone else's is put back at once, with a notice saying why.
   */
  onUserRate(reported: number): void {
    const { player, clock, state: s, hold, rate } = this.p;
    if (s.stopped || !s.next) return;
    const roomRate = s.next.rate;
    const wanted = intendedRate(reported, this.p.driver.lastRequestedRate / roomRate);
    if (Math.abs(wanted - roomRate) < 1e-3) return this.p.evaluate();
    if (!this.p.canControl()) {
      rate.reset();
      this.p.moves.applyRate(roomRate);
      this.p.notice({ kind: "rate_reverted", reason: "not_controller", requestedRate: wanted, roomRate });
      return this.p.evaluate();
    }
    hold.holdRate(wanted, clock.now());
    rate.reset();
    this.p.send.command(s.next.play_state === "playing" ? "play" : "pause", player.getPosition(), wanted);
    this.p.setState("waiting");
  }
}
