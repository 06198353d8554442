/**
 * The WebSocket surface the SDK needs: the browser's WebSocket and the `ws`
 * package both provide it, and tests and simulations can fake it.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export const OPEN = 1;

export function defaultWebSocketFactory(): WebSocketFactory {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Ctor) throw new Error("No global WebSocket; pass `createSocket` (e.g. url => new (require('ws'))(url)).");
  return (url) => new Ctor(url);
}
