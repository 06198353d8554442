/**
 * Cluster mode for tests: real `node dist/cli/main.js serve --redis-url …`
 * instances in their own processes (optionally with a skewed clock through
 * Debian's libfaketime), and a round-robin TCP balancer in front of them
 * (node:net, one upstream per accepted connection, no stickiness; a refused
 * upstream is skipped like nginx's proxy_next_upstream). Needs `npm run build`.
 * Everything still running is SIGKILLed / closed in `t.after`.
 */
import type { ChildProcess } from "node:child_process";
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from "node:net";
import type { TestContext } from "node:test";
import { launchServe } from "./serve-process.js";

export interface Instance {
  child: ChildProcess;
  /** ws://127.0.0.1:<port>/ws */
  url: string;
  /** http://127.0.0.1:<port> */
  httpUrl: string;
  port: number;
  /** Every JSON log line so far (`_rx`: this process's Date.now() when it arrived). */
  logs: Array<Record<string, unknown>>;
  readonly stderr: string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  readonly alive: boolean;
}

export interface InstanceOptions {
  redisUrl: string;
  /** Extra environment (e.g. OSP_CLUSTER_KEY_PREFIX). */
  env?: Record<string, string>;
  /** Extra `serve` arguments. */
  args?: string[];
  /** Per instance (by index): a faketime offset such as "+0.8s"; undefined = the real clock. */
  faketime?: Array<string | undefined>;
  startTimeoutMs?: number;
}

export interface Instances {
  list: Instance[];
  /** SIGKILLs instance `i` and waits until it is gone. */
  kill(i: number): Promise<void>;
  /** Starts one more instance with the same options (returns its index). */
  add(faketime?: string): Promise<number>;
}

const MAIN = "dist/cli/main.js";

export async function startInstance(t: Pick<TestContext, "after">, opts: InstanceOptions, faketime?: string): Promise<Instance> {
  const node = [process.execPath, MAIN, "serve", "--port", "0", "--host", "127.0.0.1", "--redis-url", opts.redisUrl, "--log-level", "info", "--data-file", "none", ...(opts.args ?? [])];
  // libfaketime preloaded into node itself (what the `faketime` command sets up): the `faketime` binary
  // would fork node as its own child, and a SIGKILL to it would leave that instance running.
  const skew = faketime ? { LD_PRELOAD: "/usr/$LIB/faketime/libfaketime.so.1", FAKETIME: faketime } : {};
  const p = await launchServe(t, node, { env: { ...process.env, ...opts.env, ...skew }, timeoutMs: opts.startTimeoutMs });
  const { child } = p;
  return {
    child,
    url: p.url,
    httpUrl: p.httpUrl,
    port: Number(new URL(p.url).port),
    logs: p.logs,
    exited: p.exited,
    get stderr() {
      return p.stderr;
    },
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
  };
}

/** Starts `n` instances on one Redis (in parallel). */
export async function startInstances(t: Pick<TestContext, "after">, n: number, opts: InstanceOptions): Promise<Instances> {
  const list = await Promise.all(Array.from({ length: n }, (_, i) => startInstance(t, opts, opts.faketime?.[i])));
  return {
    list,
    async kill(i) {
      const inst = list[i]!;
      if (inst.alive) inst.child.kill("SIGKILL");
      await inst.exited;
    },
    async add(faketime) {
      list.push(await startInstance(t, opts, faketime));
      return list.length - 1;
    },
  };
}

export interface Balancer {
  port: number;
  /** ws://127.0.0.1:<port>/ws */
  url: string;
  httpUrl: string;
  /** Which upstream (index into targets) each accepted connection went to, in order. */
  readonly picks: number[];
  close(): Promise<void>;
}

/**
 * A round-robin TCP proxy on `port` (0 = any) in front of `targets`
 * (instances or ports). Each new client connection goes to the next
 * upstream in turn; one that refuses the connection is skipped.
 */
export async function balancer(
  t: Pick<TestContext, "after">,
  targets: Array<Instance | number>,
  opts: { port?: number } = {},
): Promise<Balancer> {
  const ports = targets.map((x) => (typeof x === "number" ? x : x.port));
  const sockets = new Set<Socket>();
  const picks: number[] = [];
  let next = 0;

  function connectUpstream(client: Socket, tries: number): void {
    const i = next;
    next = (next + 1) % ports.length;
    const upstream = createConnection({ host: "127.0.0.1", port: ports[i]! });
    sockets.add(upstream);
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      picks.push(i);
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on("error", () => {
      if (connected) client.destroy();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      if (connected) client.destroy();
      else if (tries + 1 < ports.length && !client.destroyed) connectUpstream(client, tries + 1);
      else client.destroy();
    });
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    connectUpstream(client, 0);
  });
  const requested = opts.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(new Error(`the balancer cannot listen on port ${requested}: it is in use by another process (free it: \`ss -ltnp 'sport = :${requested}'\`)`));
      } else reject(err);
    });
    server.listen(requested, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
    return closed;
  };
  t.after(close);
  return { port, url: `ws://127.0.0.1:${port}/ws`, httpUrl: `http://127.0.0.1:${port}`, picks, close };
}
