/** What the WebSocket gateway reports about sockets (implemented by PartyMetrics). */
export interface GatewayMetrics {
  connectionOpened(): void;
  /** `code` is the WebSocket close code (1005 when none was given, 1006 when the socket dropped). */
  connectionClosed(code: number): void;
  upgradeRejected(status: number): void;
  frameReceived(bytes: number): void;
}
