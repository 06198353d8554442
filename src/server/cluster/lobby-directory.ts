/**
 * The global lobby. The owner's store writes each room's entry to the
 * `lobby` hash with the room and publishes what changed on the `lobby`
 * channel (RedisRoomStore); every instance keeps a mirror of the hash (read
 * whole at start and after a reconnect, its own rooms taken live) so
 * `room_list` and `room_info` answer for rooms held anywhere, and pushes the
 * list to its lobby sessions as before (coalesced).
 */
import type { Redis } from "ioredis";
import type { RoomSummary } from "../../protocol/index.js";
import type { Hub } from "../core/hub.js";
import type { Room } from "../core/room.js";
import type { LobbyEntry } from "../store/redis-store.js";

export interface LobbyChange {
  upsert: LobbyEntry[];
  remove: string[];
}

export class LobbyDirectory {
  readonly mirror = new Map<string, LobbyEntry>();
  /** Rooms this instance held at the last sync (to notice the ones that closed). */
  private held = new Set<string>();

  constructor(
    private readonly hub: Hub,
    private readonly redis: Redis,
    private readonly key: string,
    /** Called with rooms this instance stopped holding (closed): their ownership is released. */
    private readonly roomsGone: (ids: string[]) => void,
  ) {}

  entryOf(room: Room): LobbyEntry {
    return {
      id: room.id,
      name: room.name,
      count: room.members.size,
      media_title: room.media.title,
      host_name: this.hub.sessionInfo(room.hostId).name,
      password: room.passwordHash !== null,
      listed: !room.isPrivate,
      created_at: room.createdAt,
    };
  }

  /** Local rooms go into the mirror as they are now (the store writes them to Redis with the room). */
  sync(): void {
    const gone = [...this.held].filter((id) => !this.hub.rooms.has(id));
    this.held = new Set(this.hub.rooms.keys());
    for (const room of this.hub.rooms.values()) this.mirror.set(room.id, this.entryOf(room));
    for (const id of gone) this.mirror.delete(id);
    if (gone.length > 0) this.roomsGone(gone);
  }

  /** Another instance (or this one) published a change. */
  apply(change: LobbyChange): void {
    for (const e of change.upsert) if (!this.hub.rooms.has(e.id)) this.mirror.set(e.id, e);
    for (const id of change.remove) if (!this.hub.rooms.has(id)) this.mirror.delete(id);
    this.hub.scheduleLobbyPush();
  }

  /** Re-reads the whole hash (start-up, after a reconnect). */
  async reload(): Promise<void> {
    await this.refresh();
    this.hub.scheduleLobbyPush();
  }

  /**
   * Re-reads the hash into the mirror without pushing: `list_rooms` asks
   * for it, so a room created on another instance a moment ago is listed
   * even if its published change is still on its way.
   */
  async refresh(): Promise<void> {
    const all = await this.redis.hgetall(this.key);
    this.mirror.clear();
    for (const json of Object.values(all)) {
      try {
        const e = JSON.parse(json) as LobbyEntry;
        this.mirror.set(e.id, e);
      } catch {}
    }
    this.sync();
  }

  /** Listed rooms held by other instances. */
  remoteRooms(): RoomSummary[] {
    const out: RoomSummary[] = [];
    for (const e of this.mirror.values()) {
      if (e.listed && !this.hub.rooms.has(e.id)) out.push({ id: e.id, name: e.name, count: e.count, media_title: e.media_title });
    }
    return out;
  }

  /** One entry straight from the hash (not yet in the mirror), or undefined. */
  async fetch(id: string): Promise<LobbyEntry | undefined> {
    const json = await this.redis.hget(this.key, id);
    if (json === null) return undefined;
    const e = JSON.parse(json) as LobbyEntry;
    this.mirror.set(e.id, e);
    return e;
  }

  entry(id: string): LobbyEntry | undefined {
    return this.mirror.get(id);
  }

  /** A listed room that no instance holds and the store does not have (its owner died and it ended): removed everywhere. */
  forget(id: string): void {
    if (!this.mirror.delete(id)) return;
    const multi = this.redis.multi().hdel(this.key, id).publish(this.key, JSON.stringify({ upsert: [], remove: [id] } satisfies LobbyChange));
    multi.exec().catch(() => {});
    this.hub.scheduleLobbyPush();
  }

  /** This instance no longer holds the room (another owns it now): not "closed", so its ownership is not released. */
  forgetLocal(id: string): void {
    this.held.delete(id);
  }
}
