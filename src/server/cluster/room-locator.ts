/**
 * Where a room is: here, on another live instance, or nowhere. A room
 * nobody live holds is claimed here and restored from the store; a room
 * that was never stored is not claimed. Concurrent look-ups of one room
 * share one answer. Used by the router (joins, resumes) and by failover
 * (a socket whose home is gone).
 */
import type { Core } from "../core/core.js";
import { closeRoom, endSession } from "../core/membership.js";
import { restoreRooms } from "../core/persistence.js";
import { armRestoredTimeline } from "../core/timeline-commands.js";
import type { RoomSnapshot, RoomStore } from "../store/room-store.js";
import type { LobbyDirectory } from "./lobby-directory.js";
import type { Ownership } from "./ownership.js";

/** The store as cluster mode uses it (RedisRoomStore): rooms are loaded when claimed, tokens looked up. */
export interface ClusterStore extends RoomStore {
  load?(roomId: string): Promise<RoomSnapshot | null>;
  findResume?(token: string): Promise<{ client: string; room: string } | null>;
}

/** Where a room is: here, on another live instance, or nowhere. */
export type Location = "here" | { home: string } | null;

export interface LocatorDeps {
  core: Core;
  id: string;
  ownership: Ownership;
  lobby: LobbyDirectory;
  store: ClusterStore;
}

export class RoomLocator {
  private readonly locating = new Map<string, Promise<Location>>();

  constructor(private readonly d: LocatorDeps) {}

  get hub() {
    return this.d.core.hub;
  }

  /** Finds the room's live owner; with nobody live holding it, claims it here and restores it from the store. */
  locate(roomId: string): Promise<Location> {
    let p = this.locating.get(roomId);
    if (!p) {
      p = this.findOrClaim(roomId).finally(() => this.locating.delete(roomId));
      this.locating.set(roomId, p);
    }
    return p;
  }

  private async findOrClaim(roomId: string): Promise<Location> {
    const { hub, ownership } = { hub: this.hub, ownership: this.d.ownership };
    if (hub.rooms.has(roomId)) return "here";
    const o = await ownership.lookup(roomId);
    if (o?.live && o.owner !== this.d.id) return { home: o.owner };
    if (!this.d.store.load) return null; // without a durable store a room with no live owner is gone
    // A room that was never stored is not claimed: a join with a made-up id leaves no key in Redis.
    if (!o && !(await this.d.store.load(roomId))) {
      this.d.lobby.forget(roomId);
      return null;
    }
    const claim = await ownership.claim(roomId);
    if (!claim.won) return { home: claim.owner };
    if (hub.rooms.has(roomId)) return "here";
    const snap = await this.d.store.load(roomId);
    if (hub.rooms.has(roomId)) return "here";
    if (!snap) {
      await ownership.release(roomId);
      this.d.lobby.forget(roomId);
      return null;
    }
    this.restore(snap);
    return "here";
  }

  private restore(snap: RoomSnapshot): void {
    const { hub } = this;
    restoreRooms(hub, [snap], {
      graceExpired: (s) => endSession(hub, s, "expired"),
      emptyRoomExpired: (r) => closeRoom(hub, r, "empty"),
    });
    const room = hub.rooms.get(snap.id);
    if (room) armRestoredTimeline(hub, room);
    hub.scheduleLobbyPush(snap.id);
  }
}
