/**
 * New-user findings 5: `serve … | head -2`: once the program reading the
 * server's logs is gone, every log write fails (EPIPE). The server must keep
 * serving, and one SIGTERM must still stop it and free its port (pino's
 * stdout stream retried its final flush for ever: the process hung).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type TestContext, describe, test } from "node:test";
import { alive, portFree } from "../support/process-probe.js";
import { waitFor } from "../support/wait-for.js";

const MAIN = join(process.cwd(), "dist/cli/main.js");



function health(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: "/health", timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

/** Runs `shell` (which pipes the server into `head -2`) and returns the server's pid and port from those two lines. */
async function serveIntoHead(t: TestContext, stderr: string): Promise<{ pid: number; port: number; shell: ReturnType<typeof spawn> }> {
  const cmd = `"${process.execPath}" "${MAIN}" serve --port 0 --host 127.0.0.1 --data-file none ${stderr} | head -2`;
  const shell = spawn("sh", ["-c", cmd], { stdio: ["ignore", "pipe", "inherit"] });
  let serverPid = 0;
  t.after(() => {
    if (serverPid && alive(serverPid)) process.kill(serverPid, "SIGKILL");
    shell.kill("SIGKILL");
  });
  let found: { pid: number; port: number } | null = null;
  let lines = 0;
  // The shell keeps our end open while it waits for the server: stop after head's two lines.
  for await (const line of createInterface({ input: shell.stdout! })) {
    const entry = JSON.parse(line) as { msg?: string; pid?: number; port?: number };
    if (entry.msg === "OpenSyncParty listening") found = { pid: entry.pid!, port: entry.port! };
    serverPid = entry.pid ?? serverPid;
    if (++lines === 2) break;
  }
  assert.ok(found, "the listening line came through head");
  return { ...found, shell };
}

describe("a log reader that went away never stops the server", { timeout: 120_000 }, () => {
  for (const [what, redirect] of [
    ["stdout and stderr into the gone pipe (2>&1)", "2>&1"],
    ["stdout gone, stderr to a file: logs move to stderr", "2>STDERR"],
  ] as const) {
    test(what, { timeout: 60_000 }, async (t) => {
      const errFile = join(mkdtempSync(join(tmpdir(), "osp-epipe-")), "stderr.log");
      const { pid, port, shell } = await serveIntoHead(t, redirect.replace("STDERR", `"${errFile}"`));
      await waitFor(() => {
        try {
          return !readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, "utf8").trim().split(" ").some((c) => c !== String(pid));
        } catch {
          return true;
        }
      }, "head to exit", 20_000);
      // head has exited: the pipe has no reader. The server keeps serving.
      assert.equal(await health(port), 200);
      process.kill(pid, "SIGTERM");
      await waitFor(() => !alive(pid), `the server (pid ${pid}) to exit on one SIGTERM`, 20_000);
      assert.equal(await portFree(port), true, "its port is released");
      if (redirect !== "2>&1") {
        const logged = readFileSync(errFile, "utf8");
        assert.match(logged, /"msg":"shutting down"/, "once stdout failed, log lines went to stderr");
        assert.match(logged, /"msg":"OpenSyncParty stopped"/);
      }
    });
  }
});
