/**
 * Node-only: the `ws` package as the SDK's WebSocket (Node 20 has no global
 * WebSocket). Browsers use their own; import this only from Node code.
 */
import WebSocket from "ws";
import type { WebSocketFactory, WebSocketLike } from "./socket.js";

export const nodeWebSocket: WebSocketFactory = (url) => new WebSocket(url) as unknown as WebSocketLike;
