/**
 * Getting this instance's cluster state back: after a Redis reconnect (a
 * full recovery: Redis may have come back empty) or after the heartbeat key
 * lapsed while Redis stayed connected (only the re-claim). While it
 * re-claims, nothing may be written or routed (`reclaiming`, part of the
 * cluster's `available()`), and failover waits one TTL so that instances
 * that lost Redis too can re-register first (`holdFailoverUntil`, read by
 * the peer poll in heartbeat-loop.ts). Started by cluster.ts (reconnect)
 * and heartbeat-loop.ts (a lapsed key, or a recovery that failed).
 */
import type { Hub } from "../core/hub.js";
import { flushRooms, markDirty } from "../core/persistence.js";
import { broadcastParticipants, roomStatePayload } from "../core/room-views.js";
import type { Bus } from "./bus.js";
import type { Failover } from "./failover.js";
import type { Heartbeat } from "./heartbeat.js";
import type { LobbyDirectory } from "./lobby-directory.js";
import type { Ownership } from "./ownership.js";
import type { ClusterStore } from "./room-locator.js";
import type { SessionPlacement } from "./session-placement.js";

export interface RecoveryDeps {
  hub: Hub;
  instanceId: string;
  /** clusterInstanceTtlMs: how long failover waits after a reconnect, ms. */
  ttlMs: number;
  heartbeat: Heartbeat;
  ownership: Ownership;
  store: ClusterStore;
  lobby: LobbyDirectory;
  bus: Bus;
  placement: SessionPlacement;
  failover: Pick<Failover, "dropRooms">;
}

export class ClusterRecovery {
  /** True from a reconnect until this instance's rooms are claimed again: nothing may be written or routed meanwhile. */
  reclaiming = false;
  /** Failover waits this long after a reconnect, so instances that lost Redis too can re-register first. */
  holdFailoverUntil = 0;
  private recovering: Promise<void> | null = null;
  /** A full recovery (Redis came back) is asked for; one failed and runs again on the next heartbeat. */
  private wantFull = false;
  owed = false;

  constructor(private readonly d: RecoveryDeps) {}

  /** A recovery is under way. */
  get running(): boolean {
    return this.recovering !== null;
  }

  /**
   * Redis is back (with its data or empty): `full` — register, re-claim the
   * rooms held here (those another instance took meanwhile are dropped
   * here), rewrite their snapshots and lobby entries, reload the lobby
   * mirror, and send every member its room's state again. The heartbeat
   * key lapsed while Redis stayed connected (a stalled event loop): only
   * the re-claim — nothing was lost on the connections, and rewriting every
   * room at once would stall this instance and Redis again. A full
   * recovery asked for during a light one runs after it.
   */
  recover(full: boolean): Promise<void> {
    const { hub, heartbeat } = this.d;
    if (full) this.wantFull = true;
    this.owed = false;
    this.recovering ??= (async () => {
      try {
        do {
          const fullNow = this.wantFull;
          this.wantFull = false;
          try {
            await this.recoverOnce(fullNow);
          } catch (err) {
            hub.log.warn({ err: String(err) }, "cluster recovery failed; retrying on the next heartbeat");
            if (fullNow) this.wantFull = true;
            this.owed = true;
            heartbeat.forget();
            break;
          }
        } while (this.wantFull);
      } finally {
        this.reclaiming = false;
        this.recovering = null;
      }
    })();
    return this.recovering;
  }

  private async recoverOnce(full: boolean): Promise<void> {
    const { hub, heartbeat, ownership, store, lobby, bus, placement, failover, instanceId } = this.d;
    this.reclaiming = true;
    this.holdFailoverUntil = performance.now() + this.d.ttlMs;
    // Registered first (the heartbeat's own connection may still be reconnecting): others must see this instance alive.
    if (!(await heartbeat.beat())) throw new Error("heartbeat not renewed yet");
    const ids = [...hub.rooms.keys()];
    const claims = await Promise.all(ids.map((id) => ownership.claim(id)));
    const lost = ids.filter((_, i) => !claims[i]!.won);
    this.reclaiming = false;
    if (lost.length > 0) failover.dropRooms(lost);
    if (!full) {
      hub.log.info({ rooms: hub.rooms.size, lost: lost.length }, "rooms re-claimed after the heartbeat lapsed");
      return;
    }
    // Redis may have come back empty: every room, its resume tokens and lobby entry are written again.
    (store as { forgetWritten?: () => void }).forgetWritten?.();
    for (const id of hub.rooms.keys()) markDirty(hub, id);
    await flushRooms(hub);
    await lobby.reload();
    for (const room of hub.rooms.values()) {
      for (const id of room.members.keys()) {
        const s = hub.sessions.get(id);
        if (s?.connected) hub.send(s, "room_state", roomStatePayload(hub, room, id), room.id);
      }
      broadcastParticipants(hub, room);
    }
    // What homes elsewhere sent while this instance's subscriber was down is lost: they send it again.
    for (const l of placement.gatewayLinks.values()) if (l.home) bus.publish(l.home, { t: "resync", c: l.conn.key, g: instanceId });
    hub.log.info({ rooms: hub.rooms.size, lost: lost.length }, "cluster state restored after a Redis outage");
  }
}
