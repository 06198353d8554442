/**
 * The quiet proxy: Jellyfin's `/socket` WebSocket through `--proxy-jellyfin`
 * ending abruptly from either side (a closed tab, a Jellyfin restart: read
 * ECONNRESET) is a debug line, not a warning; Jellyfin being unreachable
 * still warns. Real sockets on port 0, the proxy mounted on a plain server
 * with a logger that records.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { test } from "node:test";
import WebSocket from "ws";
import { createJellyfinProxy } from "../../src/server/proxy/jellyfin-proxy.js";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { waitFor } from "../support/wait-for.js";

interface Line {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  err?: string;
}

async function proxyTo(t: Parameters<typeof startStandIn>[0], target: string) {
  const lines: Line[] = [];
  const record = (level: Line["level"]) => (o: object, msg?: string) =>
    lines.push({ level, msg: msg ?? "", ...("err" in o ? { err: String(o.err) } : {}) });
  const proxy = createJellyfinProxy(target, { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") });
  const http = createServer((req, res) => proxy.web(req, res));
  http.on("upgrade", (req, socket, head) => proxy.ws(req, socket, head));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  t.after(async () => {
    proxy.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });
  return { lines, base: `127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function openSocket(t: Parameters<typeof startStandIn>[0], base: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://${base}/socket?ApiKey=token-alice&deviceId=d`);
  ws.on("error", () => {});
  t.after(() => ws.terminate());
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  return ws;
}

test("proxy: /socket reset by the browser or by Jellyfin is logged at debug, not as a warning", { timeout: 30_000 }, async (t) => {
  const jf = await startStandIn(t);
  const { lines, base } = await proxyTo(t, jf.url);
  const closes = () => lines.filter((l) => l.msg === "Jellyfin proxy connection closed").length;

  const byBrowser = await openSocket(t, base);
  byBrowser.send("x".repeat(100_000));
  (byBrowser as unknown as { _socket: Socket })._socket.resetAndDestroy();
  await waitFor(() => closes() >= 1, "the browser's reset noticed by the proxy", 10_000);

  const byJellyfin = await openSocket(t, base);
  const closed = new Promise((r) => byJellyfin.once("close", r));
  byJellyfin.send("reset");
  await closed;
  await waitFor(() => closes() >= 2, "Jellyfin's reset noticed by the proxy", 10_000);

  assert.ok(lines.every((l) => l.level === "debug"), `only debug lines: ${JSON.stringify(lines)}`);
  assert.ok(lines.some((l) => /ECONNRESET/.test(l.err ?? "")), JSON.stringify(lines));
});

test("proxy: Jellyfin unreachable is still a warning, one for the outage rather than one per request", { timeout: 30_000 }, async (t) => {
  const { lines, base } = await proxyTo(t, "http://127.0.0.1:1");
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`http://${base}/web/index.html`);
    assert.equal(res.status, 502);
  }
  const ws = new WebSocket(`ws://${base}/socket`);
  ws.on("error", () => {});
  await new Promise((r) => ws.once("close", r));
  // Each failed request was handled (502, socket closed) before its answer left: all have been through the log.
  const warnings = lines.filter((l) => l.level === "warn");
  assert.equal(warnings.length, 1, `one warning for six failed requests: ${JSON.stringify(lines)}`);
  assert.ok(/ECONNREFUSED/.test(warnings[0]!.err ?? ""), JSON.stringify(lines));
});
