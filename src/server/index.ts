import * as cluster from "./cluster/cluster.js";
import { provideOptionalModules } from "./optional-modules.js";
import * as proxy from "./proxy/jellyfin-proxy.js";
import * as tls from "./transport/tls.js";

// The package entry keeps createServer() synchronous for every option: cluster mode, the Jellyfin
// proxy and TLS are loaded here. The command loads only what it uses (src/server/optional-modules.ts).
provideOptionalModules({ cluster, proxy, tls });

export { createServer, type CreateServerOptions, type PartyServer } from "./create-server.js";
export { DEFAULTS, resolveConfig, ConfigError, type ServerConfig, type ServerOptions } from "./config.js";
export { AuthError, type Authenticator } from "./core/hub.js";
export type { Identity } from "./core/session.js";
export type { RoomStore, RoomSnapshot } from "./store/room-store.js";
