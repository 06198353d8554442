/** One cluster instance for the bench: `node dist/cli/main.js serve` on a free port, limits opened for loopback load. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export async function startBenchInstance(redisUrl: string, prefix: string, maxMessagesPerSecond: number): Promise<{ child: ChildProcess; port: number }> {
  const args = [
    "dist/cli/main.js",
    "serve",
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--redis-url",
    redisUrl,
    "--cluster-key-prefix",
    prefix,
    "--data-file",
    "none",
    "--log-level",
    "info",
    "--max-rooms",
    "100000",
    // Every load client connects from 127.0.0.1: the per-address limits would refuse them.
    "--max-connections-per-ip",
    "0",
    "--max-rooms-per-ip",
    "0",
    "--max-messages-per-second",
    String(maxMessagesPerSecond),
    "--message-burst",
    String(Math.max(60, maxMessagesPerSecond * 2)),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
        if (entry.msg === "OpenSyncParty listening") resolve(Number(new URL(entry.url!).port));
        else if ((entry.level ?? 0) >= 50) process.stderr.write(`${line}\n`);
      } catch {}
    });
    child.once("exit", (code) => reject(new Error(`instance exited (${code}) before listening`)));
  });
  child.once("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM") process.stderr.write(`bench:cluster: instance on port ${port} exited (${code ?? signal})\n`);
  });
  return { child, port };
}
