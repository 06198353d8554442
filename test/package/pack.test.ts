/**
 * The package as a user gets it: `npm pack`, then in an empty folder the
 * README's install lines exactly (approve better-sqlite3's build in .npmrc,
 * install the tarball: no dev dependencies, no build step). Then
 * `npx opensyncparty serve` answers /health and serves a party page on
 * which real Chromium creates a room, and every serve and mpv command the
 * docs print for an installed package starts as printed (port 0, test
 * files and servers in place of placeholders).
 *
 * better-sqlite3's native binary: users on common platforms download a
 * prebuilt one from its GitHub release, which CI cannot reach, so the test
 * offers the binary this clone built as a local prebuild
 * (`.prebuild-installrc` `local-prebuilds`, a documented prebuild-install
 * option) instead of compiling SQLite again, which takes 1 minute on an idle
 * 2-core machine and over 10 on a busy one. OSP_PACK_COMPILE=1 compiles
 * instead. The install's duration is printed.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import { PartyClient } from "../../src/client/party-client.js";
import { startLoginStandIn } from "../fixtures/jellyfin/login-stand-in.js";
import { ITEM_ID } from "../fixtures/jellyfin/users.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { PLANS, healthStatus, listeningUrl, runShell, substitute } from "../support/doc-commands.js";
import { ensureTestMedia } from "../support/media.js";
import { mpvTestMedia } from "../support/mpv-media.js";
import { createRoom, openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { makeSelfSignedCert, tempDir } from "../support/tls-cert.js";
import { waitFor } from "../support/wait-for.js";

const run = promisify(execFile);
const skip = await browserSkipReason({ needFfmpeg: true });
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const plans = (kind: string) => Object.entries(PLANS).filter(([, p]) => "kind" in p && p.kind === kind).map(([c]) => c);
/** Loopback only; a printed flag or variable still wins. */
const ENV = { HOST: "127.0.0.1", OSP_LOG_FORMAT: "json", PORT: "0" };

describe("the package tarball, installed as the README says", { skip, timeout: 900_000 }, () => {
  // Cleanups of the shared install, run once after every test of this suite (calling node:test's
  // `after` from inside `before` would run them as soon as `before` ends).
  const cleanups: Array<() => void> = [];
  const scope = { after: (fn: () => void) => void cleanups.push(fn) };
  after(() => {
    for (const fn of cleanups.reverse()) fn();
  });
  let app = "";

  before(async () => {
    const packDir = tempDir(scope, "osp-pack-");
    await run("npm", ["pack", "--pack-destination", packDir], { maxBuffer: 16 * 1024 * 1024 });
    const tarball = `opensyncparty-${version}.tgz`;
    assert.ok(readdirSync(packDir).includes(tarball), `npm pack made ${tarball}`);
    app = tempDir(scope, "osp-app-");
    copyFileSync(join(packDir, tarball), join(app, tarball));
    if (!process.env["OSP_PACK_COMPILE"]) {
      const prebuilds = tempDir(scope, "osp-prebuilds-");
      const bs = (JSON.parse(readFileSync("node_modules/better-sqlite3/package.json", "utf8")) as { version: string }).version;
      const name = `better-sqlite3-v${bs}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
      await run("tar", ["-czf", join(prebuilds, name), "-C", "node_modules/better-sqlite3", "build/Release/better_sqlite3.node"]);
      writeFileSync(join(app, ".prebuild-installrc"), `local-prebuilds=${prebuilds}\n`);
    }
    const started = performance.now();
    for (const line of plans("setup").filter((c) => !c.startsWith("mpv "))) {
      const r = await run("sh", ["-c", line], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
      assert.doesNotMatch(`${r.stdout}\n${r.stderr}`, /npm warn/i, `"${line}" prints no warnings`);
    }
    process.stderr.write(`# the README's install took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });

  test("npx opensyncparty serve: /health 200, a party page that creates a room, rooms kept in ./data", { timeout: 600_000 }, async (t) => {
    assert.ok(!existsSync(join(app, "node_modules", "typescript")), "no dev dependencies");
    assert.ok(existsSync(join(app, "node_modules", "opensyncparty", "dist", "web", "standalone.js")), "web bundles shipped");
    const serve = runShell(t, "npx opensyncparty serve", app, ENV);
    const wsUrl = await serve.waitLine(listeningUrl, "listening line");
    const httpUrl = wsUrl.replace(/^ws/, "http").replace(/\/ws$/, "");
    assert.equal(await healthStatus(wsUrl), 200);
    assert.equal((await fetch(`${httpUrl}/jellyfin.js`)).status, 200);
    assert.ok(existsSync(join(app, "data", "opensyncparty.db")), "rooms are kept in ./data by default");

    const media = await ensureTestMedia();
    const files = await startStaticServer([media.mediaDir], { teardown: t });
    const browser = await launchBrowser({ teardown: t });
    const page = await openPartyPage(browser, { teardown: t });
    await page.goto(`${httpUrl}/`);
    const invite = await createRoom(page, { displayName: "Ana", roomName: "From the tarball", mediaUrl: `${files.url}/clip.mp4` });
    assert.match(invite, /\?room=/);
    await serve.stop();
  });

  test("every serve command the docs print starts as printed", { timeout: 600_000 }, async (t) => {
    const dir = tempDir(t, "osp-certs-");
    const cert = await makeSelfSignedCert(dir, "cert");
    const live = join(dir, "live");
    mkdirSync(live);
    for (const d of [dir, live]) {
      copyFileSync(cert.certFile, join(d, "fullchain.pem"));
      copyFileSync(cert.keyFile, join(d, "privkey.pem"));
    }
    const values = {
      "/etc/letsencrypt/live/party.example.com/fullchain.pem": join(live, "fullchain.pem"),
      "/etc/letsencrypt/live/party.example.com/privkey.pem": join(live, "privkey.pem"),
      "fullchain.pem": join(dir, "fullchain.pem"),
      "privkey.pem": join(dir, "privkey.pem"),
    };
    const env = { ...ENV, OSP_DATA_FILE: "none", PATH: `${join(app, "node_modules", ".bin")}:${process.env["PATH"]}` };
    for (const printed of plans("serve")) {
      const s = runShell(t, substitute(printed, values), app, env);
      const url = await s.waitLine(listeningUrl, `listening line of ${printed}`);
      if (printed.includes("--tls-cert")) assert.match(url, /^wss:\/\//, printed);
      assert.equal(await healthStatus(url), 200, printed);
      await s.stop();
    }
  });

  test("every mpv command the docs print joins its room as printed", { timeout: 600_000 }, async (t) => {
    const clip = await mpvTestMedia();
    const jellyfin = await startLoginStandIn(t, { mediaFile: clip });
    const server = await startServer(t);
    const host = new PartyClient({ url: server.url, displayName: "Host", createSocket: nodeWebSocket });
    t.after(() => host.close());
    await host.connect();
    const room = await host.createRoom({ name: "Docs", mediaId: ITEM_ID });
    const dir = tempDir(t, "osp-mpv-");
    // Headless mpv for every mpv these commands start: no window, no sound device.
    writeFileSync(join(dir, "mpv.conf"), "vo=null\nao=null\nterminal=no\n");
    const values = {
      "movie.mkv": clip,
      "ws://party.example:3001/ws": server.url,
      "ws://localhost:3001/ws": server.url,
      k3xq9mbw2a: room.id,
      "/tmp/mpv.sock": join(dir, "mpv.sock"),
      "https://jellyfin.example": jellyfin.url,
      "<itemId>": ITEM_ID,
      "<your token>": "token-bob",
    };
    const env = { MPV_HOME: dir, OSP_SERVER: server.url, JELLYFIN_PASSWORD: "battery staple" };
    for (const printed of plans("setup").filter((c) => c.startsWith("mpv "))) runShell(t, substitute(printed, values), app, env);
    await waitFor(() => existsSync(values["/tmp/mpv.sock"]), "the attached mpv's socket", 20_000);
    for (const printed of plans("mpv")) {
      const m = runShell(t, substitute(printed, values), app, env);
      const joined = await m.waitLine((l) => /^In room (\S+) /.exec(l)?.[1], `"In room" from ${printed}`);
      if (!printed.includes("--create")) assert.equal(joined, room.id, printed);
      await m.stop();
    }
  });
});
