/**
 * A TCP path between a client and a server that can die without a word, as
 * a network path does (Wi-Fi changing networks, a laptop asleep, a NAT that
 * forgot the flow): `blackhole()` stops carrying the bytes of every
 * connection open now, in both directions, and closes nothing. Connections
 * made after it are carried again (the new path works). `delay(ms)` holds
 * every chunk from then on that long, each way (a slow link; order kept).
 * Closed in `t.after`.
 */
import { type Socket, createConnection, createServer } from "node:net";
import type { TestContext } from "node:test";

export interface TcpPath {
  /** The path's port on 127.0.0.1. */
  port: number;
  /** Connections carried so far. */
  readonly connections: number;
  /** Every open connection stops carrying bytes (nothing is closed). */
  blackhole(): void;
  /** From now on every chunk waits `ms` each way. */
  delay(ms: number): void;
}

export async function startTcpPath(t: Pick<TestContext, "after">, targetPort: number): Promise<TcpPath> {
  let delayMs = 0;
  const open = new Set<{ client: Socket; upstream: Socket; dead: boolean }>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    const link = { client, upstream, dead: false };
    open.add(link);
    const carry = (to: Socket) => (d: Buffer) => {
      if (delayMs === 0) {
        if (!link.dead) to.write(d);
        return;
      }
      setTimeout(() => {
        if (!link.dead && !to.destroyed) to.write(d);
      }, delayMs); // equal delays fire in order
    };
    client.on("data", carry(upstream));
    upstream.on("data", carry(client));
    const end = () => {
      open.delete(link);
      if (!link.dead) {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on("close", end).on("error", () => {});
    upstream.on("close", end).on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const l of open) {
      l.client.destroy();
      l.upstream.destroy();
    }
    server.close();
  });
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    blackhole() {
      for (const l of open) l.dead = true;
    },
    delay(ms: number) {
      delayMs = ms;
    },
  };
}
