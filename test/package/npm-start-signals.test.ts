/**
 * New-user findings 4: `npm start` under a supervisor. npm runs the script
 * through `sh -c` (dash does not exec node): a SIGTERM npm forwards ended the
 * shell and left node orphaned to PID 1, still holding the port. Each signal
 * a supervisor or terminal sends must end the server and free its port.
 * Runs the real `npm start` of this package (dist/, built), on port 0.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { type TestContext, describe, test } from "node:test";
import { alive, portFree } from "../support/process-probe.js";
import { waitFor } from "../support/wait-for.js";



/** `npm start` in its own process group (as a terminal job); resolves with the server's pid and port from its JSON log. */
async function npmStart(t: TestContext): Promise<{ npm: ChildProcess; nodePid: number; port: number }> {
  const npm = spawn("npm", ["start", "--", "--port", "0", "--host", "127.0.0.1", "--data-file", "none"], {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  t.after(() => {
    try {
      process.kill(-npm.pid!, "SIGKILL"); // npm, its shell and the server share the group
    } catch {}
  });
  const lines = createInterface({ input: npm.stdout! });
  for await (const line of lines) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; port?: number; pid?: number };
    if (entry.msg === "OpenSyncParty listening") {
      npm.stdout!.resume();
      return { npm, nodePid: entry.pid!, port: entry.port! };
    }
  }
  throw new Error("npm start ended before the server listened");
}

const CASES: Array<[string, (npm: ChildProcess) => void]> = [
  ["SIGTERM to npm (a supervisor stopping it)", (npm) => npm.kill("SIGTERM")],
  ["SIGHUP to npm (npm dies; its shell keeps waiting)", (npm) => npm.kill("SIGHUP")],
  ["SIGINT to the whole process group (Ctrl+C)", (npm) => process.kill(-npm.pid!, "SIGINT")],
  ["SIGKILL to npm (launcher gone without a word)", (npm) => npm.kill("SIGKILL")],
];

describe("npm start stops cleanly when npm is told to stop", { timeout: 240_000 }, () => {
  for (const [what, send] of CASES) {
    test(what, { timeout: 60_000 }, async (t) => {
      const { npm, nodePid, port } = await npmStart(t);
      t.after(() => {
        if (alive(nodePid)) process.kill(nodePid, "SIGKILL");
        if (npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
      });
      assert.notEqual(nodePid, npm.pid, "the server runs in its own process under npm");
      assert.equal(await portFree(port), false, "the server holds its port");
      const npmExit = once(npm, "exit");
      send(npm);
      await npmExit;
      await waitFor(() => !alive(nodePid), `the server (pid ${nodePid}) to exit after npm did`, 20_000).catch((e) => {
        try {
          console.error(execSync(`ps -o pid,ppid,stat,wchan,cmd -p ${nodePid}`).toString());
        } catch {}
        throw e;
      });
      assert.equal(await portFree(port), true, `port ${port} is released`);
    });
  }
});

test("on a terminal, SIGHUP (the terminal closed) stops the server; a service's SIGHUP only reloads", { timeout: 60_000 }, async (t) => {
  // `script` gives the server a pseudo-terminal as stdout, as a terminal session does.
  const shell = spawn("script", ["-qfec", `"${process.execPath}" dist/cli/main.js serve --port 0 --host 127.0.0.1 --data-file none --log-format json`, "/dev/null"], {
    stdio: ["pipe", "pipe", "inherit"],
    detached: true,
  });
  t.after(() => {
    try {
      process.kill(-shell.pid!, "SIGKILL");
    } catch {}
  });
  let found: { pid: number; port: number } | null = null;
  for await (const line of createInterface({ input: shell.stdout! })) {
    const m = /\{.*"msg":"OpenSyncParty listening".*\}/.exec(line);
    if (!m) continue;
    const e = JSON.parse(m[0]) as { pid: number; port: number };
    found = { pid: e.pid, port: e.port };
    break;
  }
  assert.ok(found, "the server started on the pseudo-terminal");
  shell.stdout!.resume();
  t.after(() => {
    if (alive(found.pid)) process.kill(found.pid, "SIGKILL");
  });
  process.kill(found.pid, "SIGHUP");
  await waitFor(() => !alive(found.pid), "the server on a terminal to stop on SIGHUP", 20_000);
  assert.equal(await portFree(found.port), true);

  // Not on a terminal (a service): SIGHUP is the TLS reload signal; the server keeps serving.
  const service = spawn(process.execPath, ["dist/cli/main.js", "serve", "--port", "0", "--host", "127.0.0.1", "--data-file", "none"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => service.kill("SIGKILL"));
  const lines: string[] = [];
  createInterface({ input: service.stdout! }).on("line", (l) => lines.push(l));
  await waitFor(() => lines.some((l) => l.includes("OpenSyncParty listening")), "the service to listen", 20_000);
  service.kill("SIGHUP");
  await waitFor(() => lines.some((l) => l.includes("SIGHUP: nothing reloaded")), "the service to log the reload attempt", 20_000);
  assert.equal(service.exitCode, null, "the service is still running");
});
