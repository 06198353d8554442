/**
 * What runs every quarter of clusterInstanceTtlMs (cluster.ts sets the
 * timer): the heartbeat renewal (heartbeat.ts), a re-claim when the renewal
 * ends a stale spell in which the key lapsed (recovery.ts), and the poll of
 * the peers this instance depends on, whose missing heartbeat key means
 * they are dead (failover.ts takes over their sessions and sockets).
 */
import type { Redis } from "ioredis";
import type { Hub } from "../core/hub.js";
import type { Failover } from "./failover.js";
import type { Heartbeat } from "./heartbeat.js";
import type { ClusterKeys } from "./keys.js";
import type { ClusterRecovery } from "./recovery.js";

export interface HeartbeatLoopDeps {
  hub: Hub;
  redis: Redis;
  keys: ClusterKeys;
  heartbeat: Heartbeat;
  recovery: ClusterRecovery;
  failover: Pick<Failover, "peers" | "instanceDied">;
  /** Redis reachable and the heartbeat renewed within the TTL (and not re-claiming). */
  available(): boolean;
  /** The cluster is shutting down or aborted: nothing more is renewed. */
  stopped(): boolean;
}

export class HeartbeatLoop {
  constructor(private readonly d: HeartbeatLoopDeps) {}

  /**
   * Renews the heartbeat. A renewal that ends a stale spell (self-fenced:
   * the event loop or Redis too slow to renew within the TTL) re-claims the
   * rooms — unless the key never lapsed, in which case no other instance can
   * have taken one. Then checks peers.
   */
  async beat(): Promise<void> {
    const { hub, heartbeat, recovery } = this.d;
    if (this.d.stopped()) return;
    const wasLive = heartbeat.live;
    const staleMs = heartbeat.sinceOkMs;
    const ok = await heartbeat.beat();
    if (ok && !wasLive && Number.isFinite(staleMs)) {
      hub.log.warn({ since_renewal_ms: Math.round(staleMs), lapsed: heartbeat.lapsed }, "heartbeat renewed late; cluster work was refused meanwhile");
    }
    if (ok && ((!wasLive && heartbeat.lapsed) || recovery.owed)) void recovery.recover(false);
    if (ok) await this.pollPeers();
  }

  /** Dead peers (heartbeat key gone while Redis answers): their sockets' sessions here start their grace; sockets here homed there move. */
  private async pollPeers(): Promise<void> {
    const { hub, redis, keys, recovery, failover } = this.d;
    if (!this.d.available() || performance.now() < recovery.holdFailoverUntil || recovery.running) return;
    const { gateways, homes } = failover.peers();
    const peers = [...new Set([...gateways, ...homes])];
    if (peers.length === 0) return;
    let alive: number[];
    try {
      alive = await Promise.all(peers.map((p) => redis.exists(keys.inst(p))));
    } catch {
      return;
    }
    peers.forEach((p, i) => {
      if (alive[i] === 0) {
        hub.log.warn({ instance: p }, "instance gone; taking over its sessions and rooms");
        failover.instanceDied(p);
      }
    });
  }
}
