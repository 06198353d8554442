/**
 * The two Redis connections of an instance (ioredis): commands, which fail
 * at once while Redis is unreachable (no offline queue: the caller answers
 * `cluster_unavailable` instead of waiting), and a subscriber, which
 * re-subscribes by itself after a reconnect. Both reconnect with backoff.
 */
import { Redis } from "ioredis";
import type { CoreLogger } from "../core/logger.js";

export interface RedisLink {
  readonly redis: Redis;
  readonly sub: Redis;
  /** Whether the command connection is up. */
  readonly up: boolean;
  /** Called when the command connection comes back after being down. */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

/** Waits between reconnect attempts: 50 ms, 100 ms, … capped at 500 ms (Redis restarts are noticed quickly). */
const retryStrategy = (times: number): number => Math.min(times * 50, 500);

export function openRedis(url: string, log: CoreLogger): RedisLink {
  const common = { lazyConnect: true, retryStrategy, connectTimeout: 2_000, maxRetriesPerRequest: 0 } as const;
  const redis = new Redis(url, { ...common, enableOfflineQueue: false, commandTimeout: 2_000 });
  const sub = new Redis(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let up = false;
  let everUp = false;
  const listeners: Array<() => void> = [];
  redis.on("ready", () => {
    const back = everUp && !up;
    up = true;
    everUp = true;
    if (back) {
      log.info({}, "Redis reachable again");
      for (const fn of listeners) fn();
    }
  });
  redis.on("close", () => {
    if (up) log.warn({}, "Redis connection lost; retrying");
    up = false;
  });
  // ioredis emits errors for every failed attempt; the state above is what matters (logged once per outage).
  redis.on("error", () => {});
  sub.on("error", () => {});
  return {
    redis,
    sub,
    get up() {
      return up;
    },
    onReconnect: (fn) => listeners.push(fn),
    async close() {
      redis.disconnect();
      sub.disconnect();
    },
  };
}
