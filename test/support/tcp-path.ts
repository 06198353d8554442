/**
 * A TCP path between a client and a server that can die without a word, as
 * a network path does (Wi-Fi changing networks, a laptop asleep, a NAT that
 * forgot the flow): `blackhole()` stops carrying the bytes of every
 * connection open now, in both directions, and closes nothing. Connections
 * made after it are carried again (the new path works). Closed in `t.after`.
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
}

export async function startTcpPath(t: Pick<TestContext, "after">, targetPort: number): Promise<TcpPath> {
  const open = new Set<{ client: Socket; upstream: Socket; dead: boolean }>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    const link = { client, upstream, dead: false };
    open.add(link);
    client.on("data", (d) => {
      if (!link.dead) upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (!link.dead) client.write(d);
    });
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
  };
}
