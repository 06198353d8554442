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
import { type RankedRoom, RoomRanking } from "../core/room-ranking.js";
import type { LobbyEntry } from "../store/redis-store.js";

export interface LobbyChange {
  upsert: LobbyEntry[];
  remove: string[];
}

export class LobbyDirectory {
  readonly mirror = new Map<string, LobbyEntry>();
  /** Listed rooms held by other instances, in room_list order (the hub merges them with its own). */
  readonly ranking = new RoomRanking<RoomSummary>();
  /** Each entry's JSON as last read from the hash: a re-read parses only the entries that changed. */
  private readonly raw = new Map<string, string>();
  /** Rooms this instance held at the last sync (to notice the ones that closed). */
  private readonly held = new Set<string>();
  /** The hash read in flight, and the one queued behind it (see refresh). */
  private reading: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

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

  /**
   * Local rooms go into the mirror as they are now (the store writes them to
   * Redis with the room): the ones named (changed since the last lobby
   * push), or with null every one. A named room no longer here either closed
   * (its ownership is released) or was taken by another instance (listed
   * from its last entry until the new owner publishes).
   */
  sync(rooms: ReadonlySet<string> | null): void {
    const ids = rooms ?? new Set([...this.held, ...this.hub.rooms.keys()]);
    const gone: string[] = [];
    for (const id of ids) {
      const room = this.hub.rooms.get(id);
      if (room) {
        this.held.add(id);
        this.mirror.set(id, this.entryOf(room));
        this.raw.delete(id);
        this.ranking.delete(id);
      } else if (this.held.delete(id)) {
        gone.push(id);
        this.remove(id);
      } else {
        const e = this.mirror.get(id);
        if (e) this.put(e);
      }
    }
    if (gone.length > 0) this.roomsGone(gone);
  }

  /** Another instance (or this one) published a change. */
  apply(change: LobbyChange): void {
    for (const e of change.upsert) {
      if (this.hub.rooms.has(e.id)) continue;
      this.raw.delete(e.id);
      this.put(e);
    }
    for (const id of change.remove) if (!this.hub.rooms.has(id)) this.remove(id);
    this.hub.scheduleLobbyPush([]);
  }

  /** Re-reads the whole hash (start-up, after a reconnect). */
  async reload(): Promise<void> {
    await this.refresh();
    this.hub.scheduleLobbyPush([]);
  }

  /**
   * Re-reads the hash into the mirror without pushing: `list_rooms` asks
   * for it, so a room created on another instance a moment ago is listed
   * even if its published change is still on its way. Callers share reads:
   * each waits for a read that starts after it asked (one in flight, at
   * most one queued), so a burst of list_rooms costs two HGETALLs, not one each.
   */
  refresh(): Promise<void> {
    if (!this.reading) return this.read();
    this.queued ??= this.reading
      .catch(() => {})
      .then(() => {
        this.queued = null;
        return this.read();
      });
    return this.queued;
  }

  private read(): Promise<void> {
    const p = this.readHash().finally(() => {
      if (this.reading === p) this.reading = null;
    });
    this.reading = p;
    return p;
  }

  private async readHash(): Promise<void> {
    const all = await this.redis.hgetall(this.key);
    for (const [id, json] of Object.entries(all)) {
      if (this.hub.rooms.has(id) || this.raw.get(id) === json) continue;
      try {
        const e = JSON.parse(json) as LobbyEntry;
        this.raw.set(id, json);
        this.put(e);
      } catch {}
    }
    // Gone from the hash: closed (rooms held here stay, their entry may not be written yet).
    for (const id of [...this.mirror.keys()]) if (!(id in all) && !this.hub.rooms.has(id)) this.remove(id);
  }

  /** Rooms held by other instances, listed ones in room_list order. */
  remoteRanking(): Iterable<RankedRoom<RoomSummary>> {
    return this.ranking;
  }

  /** One entry straight from the hash (not yet in the mirror), or undefined. */
  async fetch(id: string): Promise<LobbyEntry | undefined> {
    const json = await this.redis.hget(this.key, id);
    if (json === null) return undefined;
    const e = JSON.parse(json) as LobbyEntry;
    if (!this.hub.rooms.has(id)) {
      this.raw.set(id, json);
      this.put(e);
    }
    return e;
  }

  entry(id: string): LobbyEntry | undefined {
    return this.mirror.get(id);
  }

  /** A listed room that no instance holds and the store does not have (its owner died and it ended): removed everywhere. */
  forget(id: string): void {
    if (!this.mirror.has(id)) return;
    this.remove(id);
    const multi = this.redis.multi().hdel(this.key, id).publish(this.key, JSON.stringify({ upsert: [], remove: [id] } satisfies LobbyChange));
    multi.exec().catch(() => {});
    this.hub.scheduleLobbyPush([]);
  }

  /** This instance no longer holds the room (another owns it now): not "closed", so its ownership is not released. */
  forgetLocal(id: string): void {
    this.held.delete(id);
  }

  /** A room held elsewhere goes into the mirror, and into the ranking when listed. */
  private put(e: LobbyEntry): void {
    this.mirror.set(e.id, e);
    if (e.listed && !this.hub.rooms.has(e.id)) {
      this.ranking.set(e.id, e.count, e.created_at, { id: e.id, name: e.name, count: e.count, media_title: e.media_title });
    } else {
      this.ranking.delete(e.id);
    }
  }

  private remove(id: string): void {
    this.mirror.delete(id);
    this.raw.delete(id);
    this.ranking.delete(id);
  }
}
