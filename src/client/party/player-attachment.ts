/**
 * A player put under the sync engine on a PartyClient's behalf: the engine
 * that keeps it on the room's timeline (ClockSync is its clock; its commands,
 * ready flags and sync reports go out on the connection), and the player's
 * events the client answers itself — the media's duration to tell the room,
 * and a `refused` event when a viewer who may not control played, paused or
 * sought (the engine undoes it; this says why).
 */
import type { AckPayload, PlayerAction, SyncReportPayload } from "../../protocol/index.js";
import type { ClockSync } from "../clock-sync.js";
import type { Player } from "../player.js";
import { SyncEngine, type SyncPolicyOptions } from "../sync-engine.js";

/** Why a viewer who may not control playback saw their play/pause/seek undone. */
export const NOT_HOST_MESSAGE = "Only the host controls playback in this room.";

/** What the engine needs from the client. */
export interface EngineHost {
  clock: ClockSync;
  sync: SyncPolicyOptions | undefined;
  canControl: () => boolean;
  command: (action: PlayerAction, position: number, rate?: number) => Promise<AckPayload>;
  setReady: (ready: boolean, position: number) => void;
  /** Sends a `sync_report` as is. */
  sendReport: (r: SyncReportPayload) => void;
  reportError: (e: unknown) => void;
}

/** A SyncEngine for `player`, speaking for the client. */
export function createSyncEngine(player: Player, host: EngineHost): SyncEngine {
  return new SyncEngine({
    player,
    // ClockSync is the engine's clock: it also tells whether it is synced and the current RTT (the engine's reports carry it, rounded).
    clock: host.clock,
    send: {
      command: (action, position, rate) =>
        void host.command(action, position, rate).catch((e: unknown) => host.reportError(e)),
      ready: (ready, position) => host.setReady(ready, position),
      report: (r) => host.sendReport(r),
    },
    canControl: host.canControl,
    ...(host.sync ? { options: host.sync } : {}),
  });
}

/** What the client does about the player's own events. */
export interface PlayerEventHost {
  /** The player learned the media's duration, s (media_info). */
  reportDuration: (duration: number | null) => void;
  /** The viewer played, paused or sought in the player (the client says why, when it is undone). */
  userAction: (action: "play" | "pause" | "seek") => void;
}

/** Listens to `player` for the client; returns the listeners' removers. */
export function watchPlayer(player: Player, host: PlayerEventHost): Array<() => void> {
  // The first player to learn the media's length tells the room (media end).
  const offs = [player.on("ready", (e) => host.reportDuration(e.duration))];
  // The engine undoes a viewer's own play/pause/seek when they may not control: say why.
  for (const action of ["play", "pause", "seek"] as const) offs.push(player.on(`user_${action}`, () => host.userAction(action)));
  return offs;
}
