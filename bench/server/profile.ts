/**
 * Optional CPU profile of the measured window only: with BENCH_CPU_PROF=<file>,
 * the server process profiles itself from the "start" to the "end" stats
 * request (3rd to 4th) and writes a .cpuprofile for Chrome DevTools / speedscope.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

export function measuredWindowProfiler(file: string | undefined): () => void {
  if (!file) return () => {};
  const session = new Session();
  session.connect();
  let requests = 0;
  return () => {
    requests++;
    if (requests === 3) {
      session.post("Profiler.enable", () => session.post("Profiler.start"));
    } else if (requests === 4) {
      session.post("Profiler.stop", (err, res) => {
        if (!err) writeFileSync(file, JSON.stringify(res.profile));
        session.disconnect();
      });
    }
  };
}
