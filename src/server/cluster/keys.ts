/** Every Redis key and pub/sub channel of one cluster, under its `clusterKeyPrefix`. */
export interface ClusterKeys {
  readonly prefix: string;
  /** Heartbeat of an instance: "1" with a TTL of `clusterInstanceTtlMs`. */
  inst(id: string): string;
  /** Instance id that owns a room (no TTL: valid while the owner's `inst` key exists). */
  owner(room: string): string;
  /** Fencing token of a room, incremented on every claim. */
  epoch(room: string): string;
  /** Hash room id → lobby entry (JSON). Also the channel lobby changes are published on. */
  readonly lobby: string;
  /** Channel an instance listens on for frames, adoptions and closes. */
  to(instance: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  return {
    prefix,
    inst: (id) => `${prefix}inst:${id}`,
    owner: (room) => `${prefix}owner:${room}`,
    epoch: (room) => `${prefix}epoch:${room}`,
    lobby: `${prefix}lobby`,
    to: (instance) => `${prefix}to:${instance}`,
  };
}
