/**
 * The Redis connections of an instance (ioredis): commands, which fail
 * at once while Redis is unreachable (no offline queue: the caller answers
 * `cluster_unavailable` instead of waiting), a subscriber, which
 * re-subscribes by itself after a reconnect, and the heartbeat's own
 * connection (like the command one): Redis answers a connection's commands
 * in order, so a renewal sent behind a burst of this instance's store
 * writes would wait for all of them and could let the key lapse. All
 * reconnect with backoff.
 */
import { Redis } from "ioredis";
import type { CoreLogger } from "../core/logger.js";

export interface RedisLink {
  readonly redis: Redis;
  readonly sub: Redis;
  /** The heartbeat's connection (heartbeat.ts). */
  readonly beat: Redis;
  /** Whether both connections are up (commands, and the subscriber that receives what other instances send). */
  readonly up: boolean;
  /** Called when the command connection comes back after being down. */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

/** How long a Redis command may go unanswered before it fails ("Command timed out"), ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** Waits between reconnect attempts: 50 ms, 100 ms, … capped at 500 ms (Redis restarts are noticed quickly). */
const retryStrategy = (times: number): number => Math.min(times * 50, 500);

export function openRedis(url: string, log: CoreLogger): RedisLink {
  const common = { lazyConnect: true, retryStrategy, connectTimeout: 2_000, maxRetriesPerRequest: 0 } as const;
  const redis = new Redis(url, { ...common, enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  const sub = new Redis(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const beat = new Redis(url, { ...common, enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  let cmdUp = false;
  let subUp = false;
  let up = false;
  let everUp = false;
  const listeners: Array<() => void> = [];
  const update = (): void => {
    const now = cmdUp && subUp;
    if (now === up) return;
    up = now;
    if (!now) {
      log.warn({}, "Redis connection lost; retrying");
      return;
    }
    const back = everUp;
    everUp = true;
    if (back) {
      log.info({}, "Redis reachable again");
      for (const fn of listeners) fn();
    }
  };
  redis.on("ready", () => {
    cmdUp = true;
    update();
  });
  redis.on("close", () => {
    cmdUp = false;
    update();
  });
  // On "ready" ioredis sends the re-subscribe first; the recovery that follows waits on several round trips.
  sub.on("ready", () => {
    subUp = true;
    update();
  });
  sub.on("close", () => {
    subUp = false;
    update();
  });
  // ioredis emits errors for every failed attempt; the state above is what matters (logged once per outage).
  redis.on("error", () => {});
  sub.on("error", () => {});
  beat.on("error", () => {});
  return {
    redis,
    sub,
    beat,
    get up() {
      return up;
    },
    onReconnect: (fn) => listeners.push(fn),
    async close() {
      redis.disconnect();
      sub.disconnect();
      beat.disconnect();
    },
  };
}
