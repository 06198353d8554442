/**
 * The viewer's own actions. A member who may control the room (the host,
 * or anyone with shared control) turns a play, pause, seek or speed change
 * into a room command, and the player holds still (or keeps that speed)
 * until the room answers or `commandHoldTimeoutMs` passes; anyone else's is
 * undone — play/pause/seek by the next look at the timeline, a speed change
 * at once, with a notice saying why.
 */
import { positionAt } from "../../protocol/index.js";
import { type EngineCore, setState } from "./engine-core.js";
import { applyRate } from "./player-moves.js";
import { evaluate } from "./timeline-follower.js";
import { intendedRate } from "./user-rate.js";

/**
 * A pause asked for outside the player (a page button, an API call): stop
 * the player now and hold it while the room answers, like a pause made in
 * the player. Returns the frame it stopped on, s — the room pauses there.
 */
export function pauseForCommand(c: EngineCore): number {
  if (!c.destroyed) {
    void c.player.pause();
    c.holdUntilMs = c.clock.now() + c.t.commandHoldTimeoutMs;
    c.rate.reset();
    setState(c, "waiting");
  }
  return c.player.getPosition();
}

/**
 * The viewer played, paused or sought in their player, to `position` (s).
 * `toggled` (a play): made with a toggle key after the engine stopped the
 * player, not before (see PlayerEvents.user_play).
 */
export function onUserAction(c: EngineCore, made: "play" | "pause" | "seek", position: number, toggled = false): void {
  if (c.destroyed || !c.next) return;
  if (!c.deps.canControl()) {
    // Not ours to decide: back to the room's timeline, telling the viewer why (undone in silence, it looks broken).
    if (differsFromRoom(c, made, position)) {
      const roomPlaying = c.next.play_state === "playing";
      c.emitter.emit("notice", { kind: "action_reverted", reason: "not_controller", action: made, position, roomPlaying });
    }
    return evaluate(c);
  }
  // A toggle key pressed while we hold the player still for the viewer's own play is a pause of what they meant playing.
  const action = made === "play" && c.heldForPlay && toggled ? "pause" : made;
  c.deps.send.command(action, position);
  c.holdUntilMs = c.clock.now() + c.t.commandHoldTimeoutMs;
  c.rate.reset();
  // Everyone, the sender included, starts at the room's scheduled instant.
  const hold = action === "play" || (action === "seek" && !c.player.isPaused());
  if (hold || action !== made) void c.player.pause();
  if (action === "pause") c.heldForPlay = false;
  else if (hold) c.heldForPlay = true;
  applyRate(c, c.next.rate);
  setState(c, "waiting");
}

/** A jump this far (s) from the room's position is the viewer's; closer is a nudge the engine corrects unseen. */
const SEEK_NOTICE_MIN_S = 1;

/** Whether a viewer's action contradicts the room: a play while it is paused, a pause while it plays, a real jump. */
function differsFromRoom(c: EngineCore, action: "play" | "pause" | "seek", position: number): boolean {
  const line = c.next;
  if (!line) return false;
  if (action === "play") return line.play_state !== "playing";
  if (action === "pause") return line.play_state === "playing";
  return Math.abs(position - positionAt(line, c.clock.serverNow())) >= SEEK_NOTICE_MIN_S;
}

/**
 * A speed change the viewer made in their player. A controller's becomes
 * the room's rate (the engine holds it until the room answers); anyone
 * else's is put back at once, with a notice saying why. The engine's own
 * micro-rate corrections never arrive here (adapters report only changes
 * they did not make).
 */
export function onUserRate(c: EngineCore, reported: number): void {
  if (c.destroyed || !c.next) return;
  const roomRate = c.next.rate;
  const rate = intendedRate(reported, c.driver.lastRequestedRate / roomRate);
  if (Math.abs(rate - roomRate) < 1e-3) return evaluate(c);
  if (!c.deps.canControl()) {
    c.rate.reset();
    applyRate(c, roomRate);
    c.emitter.emit("notice", { kind: "rate_reverted", reason: "not_controller", requestedRate: rate, roomRate });
    return evaluate(c);
  }
  c.pendingRate = { rate, untilMs: c.clock.now() + c.t.commandHoldTimeoutMs };
  c.rate.reset();
  c.deps.send.command(c.next.play_state === "playing" ? "play" : "pause", c.player.getPosition(), rate);
  setState(c, "waiting");
}
