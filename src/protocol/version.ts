/**
 * Protocol version of the extensions this server speaks. Seed-only clients
 * never see it; SDK clients read it from `client_hello.payload.protocol`.
 * Bump on any change an extension-aware client must know about.
 */
export const PROTOCOL_VERSION = 1;

/** Default WebSocket path and port, fixed by the original web client. */
export const DEFAULT_WS_PATH = "/ws";
export const DEFAULT_PORT = 3001;
