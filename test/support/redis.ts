/**
 * A real `redis-server` (the Debian package) for one test: started on a free
 * loopback port in its own temp dir, stopped/restarted/killed on demand, and
 * killed + removed in `t.after`.
 *
 * Without `persistence` it runs `--save "" --appendonly no` (a restart comes
 * back empty); `persistence: "aof"` keeps data across `stop()`/`start()` and
 * `kill()`/`start()` (appendfsync always).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export interface RedisOptions {
  /** "none" (default): nothing on disk. "aof": append-only file, fsync always. */
  persistence?: "none" | "aof";
  /** Extra `redis-server` arguments, e.g. `["--maxmemory", "10mb"]`. */
  args?: string[];
  /** How long start() waits for PING to answer. Default 20 s. */
  startTimeoutMs?: number;
}

export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  dir: string;
  /** True while a redis-server process is running. */
  readonly running: boolean;
  /** The running redis-server's process id (for CPU figures from /proc). */
  readonly pid: number | undefined;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts redis-server again on the same port and dir; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL, then waits for the process to exit. */
  kill(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; released before returning). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address() as AddressInfo;
  srv.close();
  await once(srv, "close");
  return port;
}

/** A key prefix no other test uses, e.g. `osp-t-k3j9x2:`. */
export function uniquePrefix(): string {
  return `osp-t-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 10)}:`;
}

/** Resolves true once `PING` on host:port answers `+PONG`, false on any error. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: "127.0.0.1", port });
    let buf = "";
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on("error", () => done(false));
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\r\n")) done(buf.startsWith("+PONG"));
    });
  });
}

export async function startRedis(t: Pick<TestContext, "after">, opts: RedisOptions = {}): Promise<RedisHandle> {
  const dir = mkdtempSync(join(tmpdir(), "osp-redis-"));
  const startTimeoutMs = opts.startTimeoutMs ?? 20_000;
  let port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<unknown> = Promise.resolve();
  let log = "";

  const argv = () => [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    ...(opts.persistence === "aof" ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
    "--daemonize",
    "no",
    ...(opts.args ?? []),
  ];

  async function spawnOnce(): Promise<boolean> {
    log = "";
    const proc = spawn("redis-server", argv(), { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    exited = once(proc, "exit");
    proc.stdout?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    proc.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) return false;
      if (await pingOnce(port)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    proc.kill("SIGKILL");
    throw new Error(`redis-server on port ${port} did not answer PING within ${startTimeoutMs} ms:\n${log}`);
  }

  async function start(first = false): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error("redis-server is already running");
    // The first start may lose the port to another process between freePort() and bind: pick another.
    for (let attempt = 0; ; attempt++) {
      if (await spawnOnce()) return;
      const inUse = /Address already in use/i.test(log);
      if (!first || !inUse || attempt >= 4) throw new Error(`redis-server exited on start (port ${port}):\n${log}`);
      port = await freePort();
      handle.url = `redis://127.0.0.1:${port}`;
      handle.port = port;
    }
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(sig);
    await exited;
  }

  const handle: RedisHandle = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    get pid() {
      return child?.pid;
    },
    stop: () => signal("SIGTERM"),
    start: () => start(false),
    kill: () => signal("SIGKILL"),
  };
  t.after(async () => {
    await signal("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  await start(true);
  return handle;
}
