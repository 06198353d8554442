/**
 * Room ownership with fencing. `owner:<room>` names the instance that runs
 * the room; it is valid while that instance's heartbeat key exists.
 * Claiming is one Lua script (atomic in Redis): if the room has no owner,
 * or its owner's heartbeat is gone, this instance becomes the owner and the
 * room's epoch (fencing token) is incremented; if the owner is this
 * instance already, the claim is won with the epoch it has (nobody else
 * owned the room since, so this instance's writes in flight stay valid —
 * a re-claim after a late heartbeat must not fence them out); otherwise the
 * live owner is returned. Store writes carry the
 * epoch (`fence()`), so an instance that lost a room can never overwrite
 * what the new owner wrote.
 */
import type { Redis } from "ioredis";
import type { ClusterKeys } from "./keys.js";

const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. cur) == 1 then return {0, cur} end
if cur == ARGV[1] then
  local epoch = redis.call('GET', KEYS[2])
  if epoch then return {1, epoch} end
end
redis.call('SET', KEYS[1], ARGV[1])
return {1, tostring(redis.call('INCR', KEYS[2]))}
`;

const LOOKUP = `
local cur = redis.call('GET', KEYS[1])
if not cur then return {} end
return {cur, redis.call('EXISTS', ARGV[1] .. cur)}
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0
`;

export type ClaimResult = { won: true; epoch: number } | { won: false; owner: string };

export class Ownership {
  /** Rooms this instance owns, with the epoch of its claim. */
  readonly epochs = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    readonly instanceId: string,
  ) {}

  /** Claims `room` unless a live other instance owns it. */
  async claim(room: string): Promise<ClaimResult> {
    const r = (await this.redis.eval(CLAIM, 2, this.keys.owner(room), this.keys.epoch(room), this.instanceId, this.keys.inst(""))) as [
      number,
      string,
    ];
    if (r[0] === 1) {
      const epoch = Number(r[1]);
      this.epochs.set(room, epoch);
      return { won: true, epoch };
    }
    this.epochs.delete(room);
    return { won: false, owner: r[1] };
  }

  /** The room's owner and whether its heartbeat is alive; null when nobody owns it. */
  async lookup(room: string): Promise<{ owner: string; live: boolean } | null> {
    const r = (await this.redis.eval(LOOKUP, 1, this.keys.owner(room), this.keys.inst(""))) as [string, number] | [];
    if (r.length === 0) return null;
    return { owner: r[0], live: r[1] === 1 };
  }

  /** Gives up a room this instance owns (it closed, or was never found). */
  async release(room: string): Promise<void> {
    this.epochs.delete(room);
    await this.redis.eval(RELEASE, 1, this.keys.owner(room), this.instanceId);
  }

  /** The fencing token for store writes of `room`, or null when this instance does not own it. */
  fence = (room: string): { instance: string; epoch: number } | null => {
    const epoch = this.epochs.get(room);
    return epoch === undefined ? null : { instance: this.instanceId, epoch };
  };
}
