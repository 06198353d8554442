/**
 * The instance's heartbeat: `inst:<id>` = "1" with a TTL of
 * `clusterInstanceTtlMs`, renewed every quarter of it. While the last
 * successful renewal is older than the TTL, other instances may already
 * have taken this instance's rooms: it stops acting on them (self-fence:
 * `live` is false, frames that need the cluster are refused) until a
 * renewal succeeds again. Renewed by the cluster's timer (cluster.ts),
 * which also notices the renewal that ends a stale spell. Runs on real
 * time (performance.now), not on the core's clock, which tests may fake.
 *
 * A renewal first tries `SET … XX` (only if the key still exists): when it
 * succeeds after a stale spell, the key never lapsed — a busy event loop
 * renewed late, Redis never saw this instance gone, and no other instance
 * can have taken a room (a claim needs the owner's key missing). `lapsed`
 * says which; a lapsed key is set again with a second command.
 */
import type { Redis } from "ioredis";
import type { ClusterKeys } from "./keys.js";

export class Heartbeat {
  private lastOkAt = Number.NEGATIVE_INFINITY;
  private beating = false;
  /** The last successful renewal found the key gone (expired, or never set): another instance may have acted on that. */
  lapsed = true;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  /** Whether the heartbeat was renewed within the TTL. */
  get live(): boolean {
    return performance.now() - this.lastOkAt < this.ttlMs;
  }

  /** Milliseconds since the last successful renewal was sent (Infinity before the first). */
  get sinceOkMs(): number {
    return performance.now() - this.lastOkAt;
  }

  /** Treats the heartbeat as stale until the next renewal (so that renewal counts as the end of a stale spell). */
  forget(): void {
    this.lastOkAt = Number.NEGATIVE_INFINITY;
  }

  /** Renews once; resolves true on success. */
  async beat(): Promise<boolean> {
    if (this.beating) return this.live;
    this.beating = true;
    const sentAt = performance.now();
    try {
      const key = this.keys.inst(this.instanceId);
      const kept = (await this.redis.set(key, "1", "PX", this.ttlMs, "XX")) !== null;
      if (!kept) await this.redis.set(key, "1", "PX", this.ttlMs);
      // The key lives from when Redis set it, which is after sentAt: counting from sentAt is on the safe side.
      this.lastOkAt = sentAt;
      this.lapsed = !kept;
      return true;
    } catch {
      return false;
    } finally {
      this.beating = false;
    }
  }

  /** Counts as stale from now on; with `remove`, deletes the key so others take over at once (the caller stops renewing). */
  async stop(remove: boolean): Promise<void> {
    this.lastOkAt = Number.NEGATIVE_INFINITY;
    if (remove) await this.redis.del(this.keys.inst(this.instanceId)).catch(() => {});
  }
}
