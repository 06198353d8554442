/**
 * `--proxy-jellyfin` against the stand-in upstream: index.html gets the
 * script tag (even when the browser asks for gzip), a Range request and
 * Jellyfin's `/socket` WebSocket pass through unchanged, and the party's
 * own paths (/jellyfin.js, /ws) stay the party server's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { test } from "node:test";
import WebSocket from "ws";
import { SCRIPT_TAG } from "../../src/server/proxy/inject-script.js";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { ITEM_ID } from "../fixtures/jellyfin/users.js";
import { browserSkipReason, launchBrowser, newPage } from "../support/browser.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

/** Raw GET (no automatic decompression): status, headers, body bytes. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

test("proxy mode: HTML gets the script, ranges and /socket pass through, party paths stay ours", { timeout: 120_000 }, async (t) => {
  const mediaFile = new URL("../fixtures/jellyfin/fixture.js", import.meta.url).pathname; // any file: bytes are compared
  const jf = await startStandIn(t, { mediaFile });
  const server = await startServer(t, { proxyJellyfin: jf.url });
  const base = server.httpUrl;

  for (const path of ["/web/index.html", "/web/"]) {
    const page = await get(`${base}${path}`, { "accept-encoding": "gzip, deflate, br" });
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-encoding"], undefined, "the edited page is sent uncompressed");
    const html = page.body.toString("utf8");
    assert.equal(html.split(SCRIPT_TAG).length, 2, `${path} has the script tag exactly once`);
    assert.ok(html.indexOf(SCRIPT_TAG) < html.indexOf("</head>"));
    assert.equal(Number(page.headers["content-length"]), page.body.length);
  }

  const bytes = readFileSync(mediaFile);
  const range = await get(`${base}/Videos/${ITEM_ID}/stream?static=true`, { range: "bytes=100-299" });
  assert.equal(range.status, 206);
  assert.equal(range.headers["content-range"], `bytes 100-299/${bytes.length}`);
  assert.deepEqual(range.body, bytes.subarray(100, 300));

  const info = await get(`${base}/System/Info/Public`);
  assert.equal(JSON.parse(info.body.toString()).ServerName, "stand-in");

  const socket = new WebSocket(`${base.replace("http", "ws")}/socket?ApiKey=x&deviceId=d`);
  t.after(() => socket.terminate());
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const echoed = new Promise<string>((resolve) => socket.once("message", (d) => resolve(d.toString())));
  socket.send('{"MessageType":"KeepAlive"}');
  assert.equal(await echoed, '{"MessageType":"KeepAlive"}');

  const script = await get(`${base}/jellyfin.js`);
  assert.equal(script.status, 200);
  assert.ok(!jf.requests.includes("GET /jellyfin.js"), "/jellyfin.js is served by the party server");
  const party = await TestClient.connect(t, server.url);
  assert.ok(party.clientId, "/ws is still the party server's");
});

test("proxy mode: Jellyfin down answers 502, the party server keeps running", { timeout: 120_000 }, async (t) => {
  const server = await startServer(t, { proxyJellyfin: "http://127.0.0.1:1" });
  const res = await get(`${server.httpUrl}/web/index.html`);
  assert.equal(res.status, 502);
  assert.equal((await get(`${server.httpUrl}/health`)).status, 200);
});

const skip = await browserSkipReason();

test("proxy mode in Chromium: Jellyfin Web from the party server has the Watch Party button and connects", { skip, timeout: 120_000 }, async (t) => {
  const jf = await startStandIn(t);
  const server = await startServer(t, { proxyJellyfin: jf.url, jellyfinUrl: jf.url });
  const browser = await launchBrowser({ teardown: t });
  const page = await newPage(browser, { teardown: t });
  await page.addInitScript(() => {
    (window as unknown as { __fixtureToken: string }).__fixtureToken = "token-bob";
  });
  await page.goto(`${server.httpUrl}/web/index.html#/home`);
  await page.locator('[data-osp-button="header"]').click();
  await page.locator("#opensyncparty-panel .status", { hasText: "Connected as Bob Jellyfin" }).waitFor();
  assert.ok(jf.requests.includes("GET /web/fixture.js"), "the page's own assets came from Jellyfin through the proxy");
});
