/**
 * The `opensyncparty serve` process: starts from flags, logs JSON, and on
 * SIGTERM tells clients, closes their sockets with 1001 and exits 0.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { TestClient } from "../support/ws-client.js";

test("serve starts on the given port, and SIGTERM shuts down gracefully with exit code 0", { timeout: 60_000 }, async (t) => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--host", "127.0.0.1", "--data-file", "none"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  t.after(() => child.kill("SIGKILL"));
  const lines = createInterface({ input: child.stdout });
  let url = "";
  let invite: { msg?: string; inviteUrl?: string | null } | null = null;
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number; inviteUrl?: string | null };
    assert.equal(typeof entry.level, "number", "logs are JSON lines with a level");
    if (entry.msg === "OpenSyncParty listening") url = entry.url ?? "";
    if ("inviteUrl" in entry) invite = entry;
    if (url && invite) break;
  }
  assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  // Where invite links will point: loopback only here, so no guess, and a hint to set --public-url.
  assert.equal(invite?.inviteUrl, null);
  assert.match(invite?.msg ?? "", /--public-url/);
  const client = await TestClient.connect(t, url);
  await client.next("room_list");
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const notice = await client.next("server_shutdown");
  assert.ok(notice.payload.reconnect_after_ms > 0);
  assert.equal(await client.waitClosed(), 1001);
  const [code] = await exited;
  assert.equal(code, 0);
});

test("serve refuses a bad option with exit code 2 and a message naming it", { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "banana"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const [code] = await once(child, "exit");
  assert.equal(code, 2);
  assert.match(stderr, /--port/);
});

test("serve --help (npm start -- --help) prints the usage and exits 0 instead of refusing the option", { timeout: 60_000 }, async () => {
  for (const flag of ["--help", "-h"]) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", flag], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const [code] = await once(child, "exit");
    assert.equal(code, 0, `serve ${flag}: ${out}`);
    assert.match(out, /Usage:[\s\S]*opensyncparty serve[\s\S]*docs\/configuration\.md/, `serve ${flag} prints the usage`);
  }
});
