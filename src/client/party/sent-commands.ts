/**
 * The room's timeline as this member's own commands will leave it, while
 * they are on their way. A command's answer (the ack with the new
 * timeline) comes a round trip later; until then the room view still holds
 * the line from before. Anything computed from "where the room is" in that
 * window — the page's "+10 s" (position + 10), "Play" (from the position),
 * a speed change (keeps playing or paused) — would undo the command still in
 * flight: three quick "+10 s" clicks moved 10 s, not 30, and "−10 s" then
 * "Play" played from where the room had been (found on a 150 ms ± 50 ms
 * link; Syncplay and Jellyfin SyncPlay users report the same "my second
 * click was lost"). The projection is replaced by the room's own line once
 * every command sent has been answered or has failed.
 *
 * Positions in s, server instants in ms. Pure: no clock reads, no I/O.
 */
import type { PlayerAction, Timeline } from "../../protocol/index.js";
import { clampToDuration } from "../../protocol/index.js";

export class SentCommands {
  private inFlight = 0;
  private seeksInFlight = 0;
  private projected: Timeline | null = null;
  /** Bumped by clear(): answers to commands sent before it no longer count. */
  private generation = 0;

  /** True while a command sent has not been answered. */
  get pending(): boolean {
    return this.inFlight > 0;
  }

  /** True while a seek sent has not been answered: the player does not show it yet. */
  get seekPending(): boolean {
    return this.seeksInFlight > 0;
  }

  /** The line to compute from: the projection while a command is unanswered, else `room`. */
  timeline(room: Timeline): Timeline {
    return this.projected ?? room;
  }

  /**
   * Records a command sent at server instant `serverTs`; returns the call to
   * make once it is answered or has failed (idempotent).
   */
  sent(room: Timeline, action: PlayerAction, position: number, serverTs: number, rate?: number): () => void {
    const base = this.timeline(room);
    const play_state = action === "seek" ? base.play_state : action === "play" ? "playing" : "paused";
    this.projected = { ...base, position: clampToDuration(position, base.duration), play_state, rate: rate ?? base.rate, anchor_server_ts: serverTs };
    this.inFlight++;
    const seek = action === "seek";
    if (seek) this.seeksInFlight++;
    const generation = this.generation;
    let done = false;
    return () => {
      if (done || generation !== this.generation) return;
      done = true;
      if (seek) this.seeksInFlight--;
      if (--this.inFlight === 0) this.projected = null;
    };
  }

  /** Forgets every projection (the room was left or replaced). */
  clear(): void {
    this.inFlight = 0;
    this.seeksInFlight = 0;
    this.projected = null;
    this.generation++;
  }
}
