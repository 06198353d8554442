/** `--burners` / BENCH_BURNERS=1: two CPU-burning processes alongside the benchmark, stopped by pid at the end. */
import { type ChildProcess, spawn } from "node:child_process";

export function startBurners(count: number): () => void {
  const procs: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    procs.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  }
  return () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  };
}
