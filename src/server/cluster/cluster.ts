/**
 * Cluster mode: several instances serve one set of rooms through Redis
 * (docs/architecture.md, "Cluster mode"). `prepareCluster` runs before the
 * core exists (the core needs the cluster clock, the store needs the
 * Redis connection and the fence); `startCluster` attaches to the core:
 * routing hooks (router.ts), the bus (bus-inbound.ts), the heartbeat and
 * failover polling (heartbeat-loop.ts, failover.ts), the lobby mirror and
 * recovery after a Redis outage (recovery.ts), and stops them again. It
 * wires those parts: none of them imports another back.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { Core } from "../core/core.js";
import type { CoreLogger } from "../core/logger.js";
import { flushRooms } from "../core/persistence.js";
import { CloseCodes } from "../../protocol/index.js";
import { Bus, type BusMessage } from "./bus.js";
import { BusInbound } from "./bus-inbound.js";
import { ClusterClock } from "./cluster-clock.js";
import { Failover } from "./failover.js";
import { Heartbeat } from "./heartbeat.js";
import { HeartbeatLoop } from "./heartbeat-loop.js";
import { type ClusterKeys, clusterKeys } from "./keys.js";
import { type LobbyChange, LobbyDirectory } from "./lobby-directory.js";
import { Ownership } from "./ownership.js";
import { ClusterRecovery } from "./recovery.js";
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
  // `recovery` is made below (it needs failover); available() is first called once startCluster has returned.
  const available = (): boolean => link.up && heartbeat.live && !recovery.reclaiming;
  // Rooms that closed here: their ownership is given up.
  const lobby = new LobbyDirectory(hub, redis, keys.lobby, (ids) => {
    for (const id of ids) void ownership.release(id).catch(() => {});
  });
  const retryAfterMs = Math.max(ttl, 1000);
  // One-way: the router, the bus and failover share the socket and session tables and the room locator; the bus is handed failover.
  const placement = new SessionPlacement({ core, id: instanceId, bus, available, retryAfterMs });
  const locator = new RoomLocator({ core, id: instanceId, ownership, lobby, store });
  const failover = new Failover({ id: instanceId, bus, ownership, lobby, placement, locator, retryAfterMs });
  const inbound = new BusInbound({ id: instanceId, bus, placement, failover, retryAfterMs });
  const router = new ClusterRouter({ core, id: instanceId, bus, ownership, lobby, store, available, retryAfterMs, placement, locator });
  hub.cluster = router;
  const recovery = new ClusterRecovery({ hub, instanceId, ttlMs: ttl, heartbeat, ownership, store, lobby, bus, placement, failover });
  // The store refused a write: another instance owns these rooms now.
  // (While re-claiming after an outage, a write refused because Redis came back empty is not a loss: the rooms are claimed and rewritten next.)
  hub.onFenced = (rooms) => {
    if (!recovery.reclaiming) failover.dropRooms([...rooms]);
  };
  let stopped = false;
  const loop = new HeartbeatLoop({ hub, redis, keys, heartbeat, recovery, failover, available, stopped: () => stopped });
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
    timers.push(setInterval(() => void loop.beat(), Math.max(10, Math.floor(ttl / 4))));
    timers.push(setInterval(() => void rt.clock.calibrate(redis).catch(() => {}), CLOCK_REFRESH_MS));
    timers.push(setInterval(() => placement.sweepMoved(), 30_000));
    for (const t of timers) t.unref();
    link.onReconnect(() => void recovery.recover(true));
    hub.log.info({ instance: instanceId, clock_offset_ms: Math.round(rt.clock.offsetMs), prefix: keys.prefix }, "cluster instance registered");
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
      } catch (err) {
        // Not fatal: the rooms' owner key names this instance, whose heartbeat then lapses; other instances take them over after that.
        hub.log.warn({ err, ttlMs: ttl }, "could not hand this instance's rooms over at shutdown; other instances take them over once its heartbeat lapses");
      }
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
