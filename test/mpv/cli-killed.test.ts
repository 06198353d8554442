/**
 * An `opensyncparty mpv` that is killed outright (SIGKILL: no exit hooks run)
 * or crashes must not leave its mpv behind, idle for good: mpv holds a
 * lifeline socket to the command and quits when the kernel closes it.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { HEADLESS_MPV_ARGS, requireMpv } from "../support/mpv.js";
import { runMpvCli } from "../support/mpv-cli.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

/** /proc/<pid>/stat's state and parent, or null once the process is gone. */
function procStat(pid: number): { state: string; ppid: number; comm: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const [state, ppid] = stat.slice(close + 2).split(" ");
    return { state: state!, ppid: Number(ppid), comm: stat.slice(stat.indexOf("(") + 1, close) };
  } catch {
    return null;
  }
}

/** The mpv processes whose parent is `parent`. */
function mpvChildren(parent: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      const s = procStat(pid);
      return s?.ppid === parent && s.comm === "mpv";
    });
}

test("SIGKILL of the command: its mpv quits by itself (no idle mpv left)", { timeout: 60_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const server = await startServer(t);
  const cli = runMpvCli(t, [await mpvTestMedia(), "--server", server.url, "--create", "lifeline", "--", ...HEADLESS_MPV_ARGS]);
  await waitFor(() => [...server.core.hub.rooms.values()].some((r) => r.members.size === 1), "the command joined its room", 40_000);
  const cliPid = cli.child.pid!;
  const [mpvPid] = await waitFor(() => {
    const found = mpvChildren(cliPid);
    return found.length > 0 && found;
  }, "the command's mpv");
  cli.child.kill("SIGKILL");
  assert.equal(await cli.exit(10_000), "SIGKILL");
  // Gone, or a zombie waiting for whoever inherited it to reap it: either way it no longer runs.
  await waitFor(
    () => {
      const s = procStat(mpvPid!);
      return s === null || s.state === "Z";
    },
    `mpv ${mpvPid} quitting after its command was killed (state now: ${procStat(mpvPid!)?.state})`,
    15_000,
  );
});
