/** CPU time of a process from /proc/<pid>/stat (utime + stime), µs. Linux only. */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat; 100 on Linux (sysconf(_SC_CLK_TCK)). */
const CLK_TCK = 100;

export function procCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
}
