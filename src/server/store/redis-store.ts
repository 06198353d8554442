/**
 * Rooms in Redis (cluster mode), with ioredis. Keys, under `prefix`:
 *   room:<id>      the room's snapshot (JSON), one key per room
 *   resume:<token> `{client, room}` for each member's resume token, written with the room
 *   lobby          hash roomId → LobbyEntry JSON (listed and private rooms), written with the room
 *   owner:<id>, epoch:<id>  read here for fencing (set by the cluster's claim); owner:<id> is
 *                  deleted with the room
 * Every write is one Lua script (atomic): a room is written only while
 * `owner:<id>` is this instance and `epoch:<id>` is the epoch it claimed;
 * the others in the batch are written and the promise rejects with
 * FencedError naming the rooms that were not. Lobby changes are published
 * on the `lobby` channel as `{upsert: LobbyEntry[], remove: string[]}`.
 * One Redis (or a primary with replicas), not Redis Cluster: the script
 * touches keys of several rooms.
 */
import type { Redis } from "ioredis";
import { FencedError, type RoomSnapshot, type RoomStore } from "./room-store.js";
import { WRITE_SCRIPT } from "./redis-write.lua.js";

export { FencedError } from "./room-store.js";

/** A room as every instance's lobby mirror sees it (`osp:lobby` hash value). */
export interface LobbyEntry {
  id: string;
  name: string;
  /** Members, connected or within their resume grace. */
  count: number;
  media_title: string | null;
  host_name: string | null;
  /** The room has a join password. */
  password: boolean;
  /** Shown in room_list (not private). */
  listed: boolean;
  created_at: number;
}

export interface RedisRoomStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. "osp:". */
  prefix: string;
  /**
   * This instance's claim on a room, checked by every write. Absent: writes
   * are not fenced (one writer). Returning null: no claim, the room is not written.
   */
  fence?: (roomId: string) => { instance: string; epoch: number } | null;
}

/** What the script gets per room. `snap` absent = remove the room. */
interface RoomOp {
  id: string;
  inst: string;
  epoch: string;
  snap?: string;
  lobby?: string;
  tokset: Array<[string, string]>;
  tokdel: string[];
}

export function lobbyEntryOf(snap: RoomSnapshot): LobbyEntry {
  return {
    id: snap.id,
    name: snap.name,
    count: snap.members.length,
    media_title: snap.media.title,
    host_name: snap.members.find((m) => m.id === snap.hostId)?.name ?? null,
    password: Boolean(snap.passwordHash),
    listed: !snap.isPrivate,
    created_at: snap.createdAt,
  };
}

type WriteCommand = (prefix: string, batch: string) => Promise<string[]>;

export class RedisRoomStore implements RoomStore {
  readonly keepsSeedMembers = true;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly fence: RedisRoomStoreOptions["fence"];
  /** Per room: the resume tokens and lobby entry last written (or loaded) by this instance, to send only changes. */
  private readonly written = new Map<string, { tokens: Map<string, string>; lobby: string }>();
  private readonly run: WriteCommand;

  constructor(opts: RedisRoomStoreOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.fence = opts.fence;
    if (!(this.redis as unknown as Record<string, unknown>).ospWriteRooms) {
      this.redis.defineCommand("ospWriteRooms", { numberOfKeys: 0, lua: WRITE_SCRIPT });
    }
    // Redis may come back empty after a restart: write everything again.
    this.redis.on("ready", () => this.written.clear());
    const cmd = (this.redis as unknown as { ospWriteRooms: WriteCommand }).ospWriteRooms;
    this.run = (prefix, batch) => cmd.call(this.redis, prefix, batch);
  }

  async write(save: RoomSnapshot[], remove: string[]): Promise<void> {
    if (save.length === 0 && remove.length === 0) return;
    const ops: RoomOp[] = [];
    const fenced: string[] = [];
    const after: Array<() => void> = [];
    for (const snap of save) {
      const op = this.op(snap.id, fenced);
      if (!op) continue;
      const prev = this.written.get(snap.id);
      const tokens = new Map(snap.members.map((m) => [m.resumeToken, JSON.stringify({ client: m.id, room: snap.id })]));
      const lobby = JSON.stringify(lobbyEntryOf(snap));
      op.snap = JSON.stringify(snap);
      if (prev?.lobby !== lobby) op.lobby = lobby;
      for (const [t, v] of tokens) if (prev?.tokens.get(t) !== v) op.tokset.push([t, v]);
      if (prev) for (const t of prev.tokens.keys()) if (!tokens.has(t)) op.tokdel.push(t);
      ops.push(op);
      after.push(() => this.written.set(snap.id, { tokens, lobby }));
    }
    for (const id of remove) {
      const op = this.op(id, fenced);
      if (!op) continue;
      op.tokdel = [...(this.written.get(id)?.tokens.keys() ?? [])];
      ops.push(op);
      after.push(() => this.written.delete(id));
    }
    if (ops.length > 0) {
      // Remember what this batch writes before it is on its way: a later batch diffs against it
      // (one connection: Redis applies them in order). Any failure forgets it: the next write sends all.
      for (const f of after) f();
      let refused: string[];
      try {
        refused = await this.run(this.prefix, JSON.stringify(ops));
      } catch (err) {
        for (const op of ops) this.written.delete(op.id);
        throw err;
      }
      for (const id of refused) this.written.delete(id);
      fenced.push(...refused);
    }
    if (fenced.length > 0) throw new FencedError(fenced);
  }

  /** The script's entry for one room, or null (pushed to `fenced`) when this instance holds no claim. */
  private op(id: string, fenced: string[]): RoomOp | null {
    if (!this.fence) return { id, inst: "", epoch: "", tokset: [], tokdel: [] };
    const claim = this.fence(id);
    if (!claim) {
      fenced.push(id);
      return null;
    }
    return { id, inst: claim.instance, epoch: String(claim.epoch), tokset: [], tokdel: [] };
  }

  /** In cluster mode rooms are loaded one by one as they are claimed (load()). */
  loadAll(): RoomSnapshot[] {
    return [];
  }

  /** The stored snapshot of `roomId`, or null. Remembers its tokens and lobby entry so later writes send only changes. */
  async load(roomId: string): Promise<RoomSnapshot | null> {
    const text = await this.redis.get(`${this.prefix}room:${roomId}`);
    if (text === null) return null;
    const snap = JSON.parse(text) as RoomSnapshot;
    this.written.set(roomId, {
      tokens: new Map(snap.members.map((m) => [m.resumeToken, JSON.stringify({ client: m.id, room: roomId })])),
      lobby: JSON.stringify(lobbyEntryOf(snap)),
    });
    return snap;
  }

  /** Which member and room a resume token belongs to, or null. */
  async findResume(token: string): Promise<{ client: string; room: string } | null> {
    const text = await this.redis.get(`${this.prefix}resume:${token}`);
    return text === null ? null : (JSON.parse(text) as { client: string; room: string });
  }

  /** Every lobby entry (for an instance's mirror: at start and after a reconnect). */
  async loadLobby(): Promise<LobbyEntry[]> {
    const all = await this.redis.hgetall(`${this.prefix}lobby`);
    return Object.values(all).map((v) => JSON.parse(v) as LobbyEntry);
  }

  /** Forget what was last written (after Redis came back, possibly empty): the next write sends everything. */
  forgetWritten(roomId?: string): void {
    if (roomId === undefined) this.written.clear();
    else this.written.delete(roomId);
  }

  /** The Redis connection belongs to the cluster, which closes it. */
  close(): void {}
}
