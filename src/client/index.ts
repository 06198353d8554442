/** The isomorphic client SDK. */
export * from "./party-client.js";
export * from "./connection.js";
export * from "./clock-sync.js";
export * from "./sync-engine.js";
export * from "./errors.js";
export * from "./player.js";
export * from "./activity.js";
export type { RoomView } from "./room-state.js";
export type { WebSocketLike, WebSocketFactory } from "./socket.js";
