/**
 * Every command README.md and docs/*.md print has a plan (run, or a stated
 * reason not to), and the ones meant for a clone start as printed: ports
 * become 0, placeholder files become real ones (a self-signed certificate),
 * and each answers /health. The commands for an installed package run in
 * test/package/pack.test.ts, in the folder where the tarball was installed.
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PLANS, docCommands, healthStatus, listeningUrl, runShell, substitute } from "../support/doc-commands.js";
import { makeSelfSignedCert, tempDir } from "../support/tls-cert.js";

test("every command in the README and docs has a plan, and every plan is still in the docs", { timeout: 10_000 }, () => {
  const found = docCommands();
  const missing = found.filter((c) => !(c.command in PLANS)).map((c) => `${c.file}: ${c.command}`);
  assert.deepEqual(missing, [], "commands printed in the docs that no test runs or excuses");
  const printed = new Set(found.map((c) => c.command));
  assert.deepEqual(Object.keys(PLANS).filter((c) => !printed.has(c)), [], "plans for commands no longer printed");
});

test("the commands for a clone start the server as printed", { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, "osp-doc-");
  const cert = await makeSelfSignedCert(dir, "cert");
  copyFileSync(cert.certFile, join(dir, "fullchain.pem"));
  copyFileSync(cert.keyFile, join(dir, "privkey.pem"));
  const values = { "fullchain.pem": join(dir, "fullchain.pem"), "privkey.pem": join(dir, "privkey.pem") };
  // Test-only environment: loopback, no data file, JSON logs; a printed flag or variable still wins.
  const env = { HOST: "127.0.0.1", OSP_DATA_FILE: "none", OSP_LOG_FORMAT: "json" };
  const repo = Object.entries(PLANS).filter(([, p]) => "where" in p && p.where === "repo");
  assert.ok(repo.length >= 5);
  for (const [printed, plan] of repo) {
    const command = substitute((plan as { run?: string }).run ?? printed, values);
    const run = runShell(t, command, process.cwd(), { ...env, ...(printed.includes("PORT=") ? {} : { PORT: "0" }) });
    const url = await run.waitLine(listeningUrl, "listening line");
    if (printed.includes("--tls-cert")) assert.match(url, /^wss:\/\//, printed);
    assert.equal(await healthStatus(url), 200, printed);
    await run.stop(); // sh and npm die of the signal itself: only the server's own exit code is 0 (cli-serve.test.ts)
  }
});
