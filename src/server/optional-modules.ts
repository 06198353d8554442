/**
 * The parts of the server only some configurations use — cluster mode (ioredis, `redisUrl`), the
 * Jellyfin reverse proxy (http-proxy-3, `proxyJellyfin`) and TLS (`tlsCertFile`/`tlsKeyFile`) —
 * loaded on demand, so a default `opensyncparty serve` neither evaluates nor holds them (issue 14:
 * idle memory; docs/benchmarks.md).
 *
 * Two ways in: the package entry (src/server/index.ts) provides all of them at import, so
 * `createServer()` stays synchronous for embedders; the command (src/cli/main.ts) awaits
 * `loadOptionalModules(options)` before `createServer()` and imports only what its options ask for
 * (its bundle puts each in a chunk of its own: scripts/build-cli.mjs).
 */
import type * as ClusterModule from "./cluster/cluster.js";
import type * as ProxyModule from "./proxy/jellyfin-proxy.js";
import type * as TlsModule from "./transport/tls.js";

export interface OptionalModules {
  cluster: typeof ClusterModule;
  proxy: typeof ProxyModule;
  tls: typeof TlsModule;
}

/** The options that decide which optional parts a server needs (a subset of ServerOptions). */
export interface OptionalNeeds {
  redisUrl?: string | null | undefined;
  proxyJellyfin?: string | null | undefined;
  tlsCertFile?: string | null | undefined;
  tlsKeyFile?: string | null | undefined;
}

const loaded: Partial<OptionalModules> = {};

/** Registers modules already imported (the package entry provides all three). */
export function provideOptionalModules(modules: Partial<OptionalModules>): void {
  Object.assign(loaded, modules);
}

/** Imports what these options need and nothing else. Safe to call more than once. */
export async function loadOptionalModules(needs: OptionalNeeds): Promise<void> {
  const [cluster, proxy, tls] = await Promise.all([
    needs.redisUrl && !loaded.cluster ? import("./cluster/cluster.js") : undefined,
    needs.proxyJellyfin && !loaded.proxy ? import("./proxy/jellyfin-proxy.js") : undefined,
    (needs.tlsCertFile || needs.tlsKeyFile) && !loaded.tls ? import("./transport/tls.js") : undefined,
  ]);
  provideOptionalModules({ ...(cluster && { cluster }), ...(proxy && { proxy }), ...(tls && { tls }) });
}

/** A loaded optional module. Throws (a programming error, not a user's) if nobody loaded it. */
export function optionalModule<K extends keyof OptionalModules>(name: K): OptionalModules[K] {
  const m = loaded[name];
  if (!m) {
    throw new Error(
      `the ${name} module is not loaded: import createServer from the package entry, or await loadOptionalModules(options) first`,
    );
  }
  return m as OptionalModules[K];
}
