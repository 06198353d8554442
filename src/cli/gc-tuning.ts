/**
 * One V8 setting for a serving process: no incremental-marking task.
 *
 * V8 marks the old generation concurrently on helper threads, and by
 * default also posts "incremental marking" tasks to the event loop. Under a
 * steady fan-out (1,000 rooms × 5 at 1 Hz) those tasks did 17–28 ms of
 * marking on the loop within ≈ 30 ms of wall time, once per major GC
 * (every ≈ 11 s): every room's frames waited behind them — the longest
 * fan-out delays the server had (`--trace-gc`: "+ 28.0 ms in 100 steps …
 * biggest step 16.4 ms"). Without the task the loop's share of a major GC
 * was 0.2–0.8 ms, the helper threads marking the rest
 * (docs/benchmarks.md, issue 14, "Major-GC marking on the event loop").
 *
 * Set at run time rather than on the command line: an unknown V8 flag on
 * the command line stops Node (exit 9), so the setting is applied only on
 * the V8 line where it was measured (Node 20's V8 11).
 */
import { setFlagsFromString } from "node:v8";

/** Applies the setting when `v8Version` (process.versions.v8) is one it was measured on; returns whether it did. */
export function keepMarkingOffTheLoop(v8Version: string = process.versions.v8): boolean {
  if (!v8Version.startsWith("11.")) return false;
  setFlagsFromString("--no-incremental-marking-task");
  return true;
}
