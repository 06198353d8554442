/** Forks the bench's child processes (TypeScript via tsx) and talks to them over IPC. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export function spawnChild(file: string, env: Record<string, string> = {}, nodeFlags: string[] = []): ChildProcess {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return fork(path, [], { execArgv: [...nodeFlags, "--import", "tsx"], env: { ...process.env, ...env }, stdio: "inherit" });
}

/** The next IPC message of `kind` from `child`. */
export function nextMessage<T extends { kind: string }>(child: ChildProcess, kind: T["kind"], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${kind} from child within ${timeoutMs} ms`)), timeoutMs);
    const on = (m: { kind: string }) => {
      if (m.kind !== kind) return;
      clearTimeout(timer);
      child.off("message", on);
      resolve(m as T);
    };
    child.on("message", on);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before ${kind}`)));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.send({ kind: "stop" });
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
