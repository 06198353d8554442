/**
 * What the kernel says about a process (Linux /proc): CPU time and RSS of
 * any pid, so the real `opensyncparty serve` and the relay are measured the
 * same way, from outside, without any hook in the server.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime/stime (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

export interface ProcSample {
  /** user + system CPU time, µs (10 ms resolution). */
  cpuUs: number;
  rssBytes: number;
}

export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at state: utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return { cpuUs: (ticks / TICKS_PER_S) * 1e6, rssBytes: rssKb * 1024 };
}
