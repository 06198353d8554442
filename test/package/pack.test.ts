/**
 * The package as a user gets it: `npm pack`, then in an empty folder the
 * documented install (allow better-sqlite3's build in .npmrc, install the
 * tarball; no dev dependencies, no build step), then `npx opensyncparty
 * serve` answers /health and serves a party page on which real Chromium
 * creates a room. The install compiles better-sqlite3 when no prebuilt
 * binary can be fetched; the time it took is reported as a diagnostic.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { promisify } from "node:util";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { createRoom, openPartyPage } from "../support/party-page.js";
import { startStaticServer } from "../support/static-server.js";
import { tempDir } from "../support/tls-cert.js";

const run = promisify(execFile);
const skip = await browserSkipReason({ needFfmpeg: true });

/** Resolves with the `url` of the "OpenSyncParty listening" JSON log line. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === "OpenSyncParty listening") return entry.url ?? "";
  }
  throw new Error("serve ended before listening");
}

test("npm pack → install the tarball in an empty folder → npx opensyncparty serve works", { skip, timeout: 600_000 }, async (t) => {
  const packDir = tempDir(t, "osp-pack-");
  await run("npm", ["pack", "--pack-destination", packDir], { maxBuffer: 16 * 1024 * 1024 });
  const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack made a tarball");

  const app = tempDir(t, "osp-app-");
  writeFileSync(join(app, ".npmrc"), "allow-scripts=better-sqlite3\n");
  const started = performance.now();
  const install = await run("npm", ["install", "--no-audit", "--no-fund", join(packDir, tarball)], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
  t.diagnostic(`npm install of the tarball took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  assert.doesNotMatch(`${install.stdout}\n${install.stderr}`, /npm warn/i, "a clean install prints no warnings");
  assert.ok(!existsSync(join(app, "node_modules", "typescript")), "no dev dependencies");
  assert.ok(existsSync(join(app, "node_modules", "opensyncparty", "dist", "web", "standalone.js")), "web bundles shipped");

  const serve = spawn("npx", ["opensyncparty", "serve", "--port", "0", "--host", "127.0.0.1", "--log-format", "json"], {
    cwd: app,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(serve, "exit");
  t.after(async () => {
    if (serve.exitCode === null) {
      serve.kill("SIGTERM");
      await exited;
    }
  });
  const wsUrl = await listeningUrl(serve);
  const httpUrl = wsUrl.replace(/^ws/, "http").replace(/\/ws$/, "");
  const health = await fetch(`${httpUrl}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, "ok");
  assert.equal((await fetch(`${httpUrl}/jellyfin.js`)).status, 200);
  assert.ok(existsSync(join(app, "data", "opensyncparty.db")), "rooms are kept in ./data by default");

  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const browser = await launchBrowser({ teardown: t });
  const page = await openPartyPage(browser, { teardown: t });
  await page.goto(`${httpUrl}/`);
  const invite = await createRoom(page, { displayName: "Ana", roomName: "From the tarball", mediaUrl: `${files.url}/clip.mp4` });
  assert.match(invite, /\?room=/);

  serve.kill("SIGTERM");
  const [code] = await exited;
  assert.equal(code, 0);
});
