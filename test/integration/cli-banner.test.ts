/**
 * The friendly start: on a terminal (a pseudo-terminal made by `script`)
 * or with --log-format pretty, `opensyncparty serve` prints where to open
 * the party (this computer and the network), where rooms are kept and how
 * to stop, then readable log lines instead of JSON.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { startBanner } from "../../src/cli/start-banner.js";
import { healthStatus, runShell } from "../support/doc-commands.js";
import { tempDir } from "../support/tls-cert.js";

test("the banner names the local and LAN URLs, the data file and how to stop", { timeout: 5_000 }, () => {
  const text = startBanner(
    { version: "1.2.3", httpUrl: "http://localhost:3001", wsPath: "/ws", host: "0.0.0.0", dataFile: "data/x.db", metricsUrl: null },
    ["192.168.1.20"],
  );
  assert.match(text, /OpenSyncParty 1\.2\.3 is running/);
  assert.match(text, /Open http:\/\/localhost:3001\/ in a browser on this computer,/);
  assert.match(text, /http:\/\/192\.168\.1\.20:3001\/ from other devices on your network/);
  assert.match(text, /connect to ws:\/\/192\.168\.1\.20:3001\/ws/);
  assert.ok(text.includes(`Rooms are kept in ${resolve("data/x.db")}`));
  assert.match(text, /Ctrl\+C to stop/);
  const local = startBanner({ version: "1", httpUrl: "https://127.0.0.1:8443", wsPath: "/ws", host: "127.0.0.1", dataFile: null, metricsUrl: null }, ["10.0.0.2"]);
  assert.doesNotMatch(local, /10\.0\.0\.2/, "bound to loopback: no LAN address offered");
  assert.match(local, /wss:\/\/127\.0\.0\.1:8443\/ws/);
  assert.match(local, /in memory only/);
});

test("on a terminal, serve prints the banner and readable log lines, not JSON", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, "osp-banner-");
  const db = join(dir, "rooms.db");
  // `script` gives the command a pseudo-terminal as stdout, as a user's shell would.
  const cmd = `${process.execPath} --import tsx src/cli/main.ts serve --port 0 --host 127.0.0.1 --data-file ${db}`;
  const run = runShell(t, `script -qfec "${cmd}" /dev/null`, process.cwd());
  const open = await run.waitLine((l) => /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(l)?.[1], "the Open line", 30_000);
  await run.waitLine((l) => (l.includes("Press Ctrl+C to stop.") ? true : undefined), "how to stop");
  assert.ok(run.stdout.some((l) => l.includes(`Rooms are kept in ${db}`)), run.stdout.join("\n"));
  assert.equal(await healthStatus(`${open.replace(/^http/, "ws")}/ws`), 200);
  // The log line and the banner are two writes: under load either may come first.
  await run.waitLine((l) => (/ INFO {2}OpenSyncParty listening /.test(l) ? true : undefined), "the readable listening log line", 20_000);
  assert.ok(!run.stdout.some((l) => l.trim().startsWith("{")), "no JSON lines on a terminal");
  await run.stop();
});
