export { createServer, type CreateServerOptions, type PartyServer } from "./create-server.js";
export { DEFAULTS, resolveConfig, ConfigError, type ServerConfig, type ServerOptions } from "./config.js";
export { AuthError, type Authenticator } from "./core/hub.js";
export type { Identity } from "./core/session.js";
export type { RoomStore, RoomSnapshot } from "./store/room-store.js";
