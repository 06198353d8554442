/**
 * The global lobby. Each owner writes an entry per room it holds to the
 * `lobby` hash and publishes what changed on the `lobby` channel; every
 * instance keeps a mirror of the hash (read whole at start and after a
 * reconnect) so `room_list` and `room_info` answer for rooms held anywhere,
 * and pushes the list to its lobby sessions as before (coalesced).
 */
import type { Redis } from "ioredis";
import type { RoomSummary } from "../../protocol/index.js";
import type { Hub } from "../core/hub.js";
import type { Room } from "../core/room.js";

export interface LobbyEntry {
  id: string;
  name: string;
  count: number;
  media_title: string | null;
  host_name: string;
  password: boolean;
  listed: boolean;
  created_at: number;
}

export interface LobbyChange {
  upsert: LobbyEntry[];
  remove: string[];
}

export class LobbyDirectory {
  readonly mirror = new Map<string, LobbyEntry>();
  /** What this instance last wrote per room it holds (JSON), to publish changes only. */
  private written = new Map<string, string>();

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

  /** Writes and publishes the entries of local rooms that changed since the last call. */
  sync(): void {
    const upsert: LobbyEntry[] = [];
    const fields: string[] = [];
    for (const room of this.hub.rooms.values()) {
      const entry = this.entryOf(room);
      const json = JSON.stringify(entry);
      if (this.written.get(room.id) === json) continue;
      upsert.push(entry);
      fields.push(room.id, json);
    }
    const remove = [...this.written.keys()].filter((id) => !this.hub.rooms.has(id));
    if (upsert.length === 0 && remove.length === 0) return;
    for (const e of upsert) this.mirror.set(e.id, e);
    for (const id of remove) this.mirror.delete(id);
    const multi = this.redis.multi();
    if (fields.length > 0) multi.hset(this.key, ...fields);
    if (remove.length > 0) multi.hdel(this.key, ...remove);
    multi.publish(this.key, JSON.stringify({ upsert, remove } satisfies LobbyChange));
    const pending = new Map(fields.length > 0 ? upsert.map((e) => [e.id, JSON.stringify(e)]) : []);
    for (const [id, json] of pending) this.written.set(id, json);
    for (const id of remove) this.written.delete(id);
    multi.exec().catch(() => {
      // Redis unreachable: forget what was written so the next sync (or the reconnect) writes it again.
      for (const id of pending.keys()) this.written.delete(id);
    });
    if (remove.length > 0) this.roomsGone(remove);
  }

  /** Another instance (or this one) published a change. */
  apply(change: LobbyChange): void {
    for (const e of change.upsert) if (!this.hub.rooms.has(e.id)) this.mirror.set(e.id, e);
    for (const id of change.remove) if (!this.hub.rooms.has(id)) this.mirror.delete(id);
    this.hub.scheduleLobbyPush();
  }

  /** Re-reads the whole hash (start-up, after a reconnect); with `rewrite`, this instance's entries are written again. */
  async reload(rewrite: boolean): Promise<void> {
    if (rewrite) this.written.clear();
    const all = await this.redis.hgetall(this.key);
    this.mirror.clear();
    for (const json of Object.values(all)) {
      try {
        const e = JSON.parse(json) as LobbyEntry;
        this.mirror.set(e.id, e);
      } catch {}
    }
    this.sync();
    this.hub.scheduleLobbyPush();
  }

  /** Listed rooms held by other instances. */
  remoteRooms(): RoomSummary[] {
    const out: RoomSummary[] = [];
    for (const e of this.mirror.values()) {
      if (e.listed && !this.hub.rooms.has(e.id)) out.push({ id: e.id, name: e.name, count: e.count, media_title: e.media_title });
    }
    return out;
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

  /** This instance no longer holds the room (another owns it now): its entry is the new owner's to write. */
  forgetLocal(id: string): void {
    this.written.delete(id);
  }
}
