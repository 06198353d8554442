/**
 * Which other instances this one depends on, counted as sockets and
 * sessions come and go, so the failover poll (every ttl/4) reads the set
 * of peers in O(peers) instead of walking every remote session and socket
 * link (issue 14: 1.2 % of an instance's CPU with 16,000 sockets).
 */
import type { GatewayLink } from "./gateway-link.js";

/** How many references each instance id has. */
export class PeerCounts {
  private readonly counts = new Map<string, number>();

  add(id: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  remove(id: string): void {
    const n = (this.counts.get(id) ?? 0) - 1;
    if (n > 0) this.counts.set(id, n);
    else this.counts.delete(id);
  }

  clear(): void {
    this.counts.clear();
  }

  ids(): IterableIterator<string> {
    return this.counts.keys();
  }
}

const gatewayOf = (key: string): string => key.slice(0, key.indexOf("\n"));

/** Sessions living here whose socket is on another instance, by `gateway\nkey`; counts them per gateway. */
export class RemoteSessions<V> extends Map<string, V> {
  readonly gateways = new PeerCounts();

  override set(key: string, value: V): this {
    if (!super.has(key)) this.gateways.add(gatewayOf(key));
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    this.gateways.remove(gatewayOf(key));
    return true;
  }

  override clear(): void {
    super.clear();
    this.gateways.clear();
  }
}

/** This instance's sockets whose session lives elsewhere, by socket key; counts them per home (GatewayLink.home). */
export class GatewayLinks extends Map<string, GatewayLink> {
  readonly homes = new PeerCounts();

  override set(key: string, link: GatewayLink): this {
    const old = super.get(key);
    if (old === link) return this;
    if (old?.home) this.homes.remove(old.home);
    if (link.home) this.homes.add(link.home);
    return super.set(key, link);
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (!old) return false;
    super.delete(key);
    if (old.home) this.homes.remove(old.home);
    return true;
  }

  override clear(): void {
    super.clear();
    this.homes.clear();
  }

  /** A link's home changed (GatewayLink calls it): counted only while the link is in the map. */
  homeChanged(link: GatewayLink, from: string | null, to: string | null): void {
    if (super.get(link.conn.key) !== link) return;
    if (from) this.homes.remove(from);
    if (to) this.homes.add(to);
  }
}
