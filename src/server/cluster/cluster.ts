/**
 * Cluster mode: several instances serve one set of rooms through Redis
 * (docs/architecture.md, "Cluster mode"). `prepareCluster` runs before the
 * core exists (the core needs the cluster clock, the store needs the
 * Redis connection and the fence); `startCluster` attaches to the core:
 * routing hooks, the bus, the heartbeat, failover polling, the lobby
 * mirror and recovery after a Redis outage.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { Core } from "../core/core.js";
import type { CoreLogger } from "../core/logger.js";
import { flushRooms, markDirty } from "../core/persistence.js";
import { broadcastParticipants, roomStatePayload } from "../core/room-views.js";
import { CloseCodes } from "../../protocol/index.js";
import { Bus, type BusMessage } from "./bus.js";
import { BusInbound } from "./bus-inbound.js";
import { ClusterClock } from "./cluster-clock.js";
import { Failover } from "./failover.js";
import { Heartbeat } from "./heartbeat.js";
import { type ClusterKeys, clusterKeys } from "./keys.js";
import { type LobbyChange, LobbyDirectory } from "./lobby-directory.js";
import { Ownership } from "./ownership.js";
import { type RedisLink, openRedis } from "./redis-link.js";
import { RemoteSocket } from "./remote-socket.js";
import { type ClusterStore, RoomLocator } from "./room-locator.js";
import { ClusterRouter } from "./router.js";
import { SessionPlacement } from "./session-placement.js";

export interface ClusterOptions {
  redisUrl: string;
  prefix: string;
  instanceTtlMs: number;
  /** The instance's own clock; the cluster clock adds the offset to Redis TIME. */
  baseClock: Clock;
  log: CoreLogger;
}

/** What exists before the core: the connections, the clock, ownership (the store's fence). */
export interface ClusterRuntime {
  readonly instanceId: string;
  readonly link: RedisLink;
  readonly clock: ClusterClock;
  readonly keys: ClusterKeys;
  readonly ownership: Ownership;
  readonly options: ClusterOptions;
}

export interface Cluster {
  readonly instanceId: string;
  readonly clock: ClusterClock;
  /** Resolves once connected, calibrated, registered and subscribed (listen() waits for it); rejects when Redis cannot be reached. */
  readonly ready: Promise<void>;
  /** `redis: "unreachable"` while Redis cannot be reached or the heartbeat is stale (this instance refuses what needs the cluster). */
  health(): { redis: "ok" | "unreachable"; instance: string };
  /** Graceful stop: stores the rooms, hands them (and the sockets homed here) to the other instances. */
  beforeShutdown(): Promise<void>;
  close(): Promise<void>;
  /**
   * Stops at once, as if the process died: no heartbeat, no hand-over, Redis
   * connections cut, room timers stopped. For tests of failover in one process.
   */
  abort(): void;
}

/** How often the cluster clock re-measures its offset to Redis, ms. */
const CLOCK_REFRESH_MS = 10_000;

export function prepareCluster(options: ClusterOptions): ClusterRuntime {
  const instanceId = randomBytes(9).toString("base64url").slice(0, 12);
  const link = openRedis(options.redisUrl, options.log);
  const keys = clusterKeys(options.prefix);
  return {
    instanceId,
    link,
    keys,
    clock: new ClusterClock(options.baseClock),
    ownership: new Ownership(link.redis, keys, instanceId),
    options,
  };
}

export function startCluster(core: Core, rt: ClusterRuntime, store: ClusterStore): Cluster {
  const { hub } = core;
  const { link, keys, ownership, instanceId, options } = rt;
  const { redis, sub } = link;
  const ttl = options.instanceTtlMs;
  const bus = new Bus(redis, keys);
  const heartbeat = new Heartbeat(link.beat, keys, instanceId, ttl);
  /** True from a reconnect until this instance's rooms are claimed again: nothing may be written or routed meanwhile. */
  let reclaiming = false;
  const available = () => link.up && heartbeat.live && !reclaiming;
  // Rooms that closed here: their ownership is given up.
  const lobby = new LobbyDirectory(hub, redis, keys.lobby, (ids) => {
    for (const id of ids) void ownership.release(id).catch(() => {});
  });
  const retryAfterMs = Math.max(ttl, 1000);
  // One-way: the router, the bus and failover share the socket and session tables and the room locator; the bus is handed failover.
  const placement = new SessionPlacement({ core, id: instanceId, bus, available, retryAfterMs });
  const locator = new RoomLocator({ core, id: instanceId, ownership, lobby, store });
  const failover = new Failover({ id: instanceId, bus, ownership, lobby, placement, locator });
  const inbound = new BusInbound({ id: instanceId, bus, placement, failover });
  const router = new ClusterRouter({ core, id: instanceId, bus, ownership, lobby, store, available, retryAfterMs, placement, locator });
  hub.cluster = router;
  // The store refused a write: another instance owns these rooms now.
  // (While re-claiming after an outage, a write refused because Redis came back empty is not a loss: the rooms are claimed and rewritten next.)
  hub.onFenced = (rooms) => {
    if (!reclaiming) failover.dropRooms([...rooms]);
  };
  /** Failover waits this long after a reconnect, so instances that lost Redis too can re-register first. */
  let holdFailoverUntil = 0;
  let stopped = false;
  let recovering: Promise<void> | null = null;
  /** A full recovery (Redis came back) is asked for; one failed and runs again on the next heartbeat. */
  let wantFull = false;
  let recoveryOwed = false;
  const timers: NodeJS.Timeout[] = [];

  sub.on("message", (channel: string, text: string) => {
    try {
      if (channel === keys.lobby) lobby.apply(JSON.parse(text) as LobbyChange);
      else inbound.receive(JSON.parse(text) as BusMessage);
    } catch (err) {
      hub.log.error({ err, channel }, "cluster message failed");
    }
  });

  async function start(): Promise<void> {
    try {
      await Promise.all([redis.connect(), sub.connect(), link.beat.connect()]);
    } catch (err) {
      await link.close();
      const where = new URL(options.redisUrl);
      throw new Error(`cannot reach Redis at ${where.hostname}:${where.port || 6379} (${(err as Error).message}); is redis-server running?`);
    }
    await rt.clock.calibrate(redis);
    if (!(await heartbeat.beat())) throw new Error("cannot register this instance in Redis");
    await sub.subscribe(keys.to(instanceId), keys.lobby);
    await lobby.reload();
    timers.push(setInterval(() => void beat(), Math.max(10, Math.floor(ttl / 4))));
    timers.push(setInterval(() => void rt.clock.calibrate(redis).catch(() => {}), CLOCK_REFRESH_MS));
    timers.push(setInterval(() => placement.sweepMoved(), 30_000));
    for (const t of timers) t.unref();
    link.onReconnect(() => void recover(true));
    hub.log.info({ instance: instanceId, clock_offset_ms: Math.round(rt.clock.offsetMs), prefix: keys.prefix }, "cluster instance registered");
  }

  /**
   * Renews the heartbeat. A renewal that ends a stale spell (self-fenced:
   * the event loop or Redis too slow to renew within the TTL) re-claims the
   * rooms — unless the key never lapsed, in which case no other instance can
   * have taken one. Then checks peers.
   */
  async function beat(): Promise<void> {
    if (stopped) return;
    const wasLive = heartbeat.live;
    const staleMs = heartbeat.sinceOkMs;
    const ok = await heartbeat.beat();
    if (ok && !wasLive && Number.isFinite(staleMs)) {
      hub.log.warn({ since_renewal_ms: Math.round(staleMs), lapsed: heartbeat.lapsed }, "heartbeat renewed late; cluster work was refused meanwhile");
    }
    if (ok && ((!wasLive && heartbeat.lapsed) || recoveryOwed)) void recover(false);
    if (ok) await pollPeers();
  }

  /** Dead peers (heartbeat key gone while Redis answers): their sockets' sessions here start their grace; sockets here homed there move. */
  async function pollPeers(): Promise<void> {
    if (!available() || performance.now() < holdFailoverUntil || recovering) return;
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
  function recover(full: boolean): Promise<void> {
    if (full) wantFull = true;
    recoveryOwed = false;
    recovering ??= (async () => {
      try {
        do {
          const fullNow = wantFull;
          wantFull = false;
          try {
            await recoverOnce(fullNow);
          } catch (err) {
            hub.log.warn({ err: String(err) }, "cluster recovery failed; retrying on the next heartbeat");
            if (fullNow) wantFull = true;
            recoveryOwed = true;
            heartbeat.forget();
            break;
          }
        } while (wantFull);
      } finally {
        reclaiming = false;
        recovering = null;
      }
    })();
    return recovering;
  }

  async function recoverOnce(full: boolean): Promise<void> {
    reclaiming = true;
    holdFailoverUntil = performance.now() + ttl;
    // Registered first (the heartbeat's own connection may still be reconnecting): others must see this instance alive.
    if (!(await heartbeat.beat())) throw new Error("heartbeat not renewed yet");
    const ids = [...hub.rooms.keys()];
    const claims = await Promise.all(ids.map((id) => ownership.claim(id)));
    const lost = ids.filter((_, i) => !claims[i]!.won);
    reclaiming = false;
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

  const ready = start();
  ready.catch(() => {});

  return {
    instanceId,
    clock: rt.clock,
    ready,
    health: () => ({ redis: available() ? "ok" : "unreachable", instance: instanceId }),
    async beforeShutdown() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      // Sessions here with sockets elsewhere: nothing more is sent from here; once the rooms are stored and
      // released, their gateways find the rooms' next owners.
      const elsewhere: RemoteSocket[] = [];
      for (const conn of placement.remote.values()) {
        const sock = conn.socketLike;
        if (sock instanceof RemoteSocket) {
          sock.detached = true;
          elsewhere.push(sock);
        }
      }
      placement.remote.clear();
      // Sockets here whose sessions live elsewhere: told to come back (they resume through another instance).
      for (const l of placement.gatewayLinks.values()) {
        hub.send(l.conn.session, "server_shutdown", { reconnect_after_ms: 1000 });
        hub.closeSocket(l.conn.socketLike, CloseCodes.GOING_AWAY, "server shutting down");
      }
      try {
        await flushRooms(hub);
        await Promise.all([...ownership.epochs.keys()].map((id) => ownership.release(id)));
      } catch {}
      await heartbeat.stop(true);
      for (const sock of elsewhere) bus.publish(sock.gateway, { t: "rehome", c: sock.key, h: instanceId });
      bus.flush();
    },
    abort() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      for (const room of hub.rooms.values()) room.stopTimers(hub.clock);
      hub.shuttingDown = true;
      // Its sockets die with it (the peers see an abnormal close, 1006).
      for (const conn of placement.links.values()) conn.socketLike.terminate?.();
      redis.disconnect();
      sub.disconnect();
      link.beat.disconnect();
    },
    async close() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      bus.flush();
      await link.close();
    },
  };
}
