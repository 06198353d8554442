/** What the core needs of a connection: the ws shell and tests both provide it. */
export interface SocketLike {
  send(data: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Destroys the connection without a close handshake (used when a close frame cannot be delivered promptly). */
  terminate?(): void;
  /** Cluster mode: a socket on another instance (RemoteSocket); its frames are counted where they are written. */
  readonly relayed?: boolean;
}
