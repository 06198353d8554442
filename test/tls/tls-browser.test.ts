/**
 * HTTPS and WSS on one port: real Chromium loads a page over https from a
 * port-0 TLS server with a self-signed certificate (made by openssl) and
 * runs the original web plugin's flow over wss — create, see it pushed in
 * room_list, join, play. /jellyfin.js is served over the same TLS port.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { startServer } from "../support/server.js";
import { makeSelfSignedCert, tempDir } from "../support/tls-cert.js";
import { waitFor } from "../support/wait-for.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "tls");
const skip = await browserSkipReason();

interface Received {
  type: string;
  room: string;
  payload: Record<string, unknown> & { action?: string };
}
const received = (page: Page) => page.evaluate(() => (window as unknown as { osp: { received: Received[] } }).osp.received);
const nextOf = (page: Page, type: string, pred: (m: Received) => boolean = () => true) =>
  waitFor(async () => (await received(page)).find((m) => m.type === type && pred(m)), `${type} in the page`, 15_000);

test("the original web plugin's flow runs over https and wss on one TLS port", { skip, timeout: 60_000 }, async (t) => {
  const cert = await makeSelfSignedCert(tempDir(t), "server");
  const server = await startServer(t, { tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile, staticRoots: [fixtures] });
  assert.match(server.httpUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(server.url, /^wss:\/\//);
  const browser = await launchBrowser({ teardown: t });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  t.after(() => context.close());
  const [host, guest] = [await context.newPage(), await context.newPage()];
  for (const page of [host, guest]) {
    const res = await page.goto(`${server.httpUrl}/original-flow.html`);
    assert.equal(res?.status(), 200);
    assert.equal(new URL(page.url()).protocol, "https:");
    await nextOf(page, "room_list");
  }
  const script = await host.evaluate(async () => {
    const r = await fetch("/jellyfin.js");
    return { status: r.status, type: r.headers.get("content-type") };
  });
  assert.deepEqual(script, { status: 200, type: "text/javascript; charset=utf-8" });

  await host.evaluate(() => (window as unknown as { osp: { createRoom(n: string): void } }).osp.createRoom("Secure night"));
  const created = await nextOf(host, "room_state");
  const listed = await nextOf(guest, "room_list", (m) => (m.payload as unknown as { id: string }[]).some((r) => r.id === created.room));
  assert.ok(listed);
  await guest.evaluate((id) => (window as unknown as { osp: { joinRoom(id: string): void } }).osp.joinRoom(id), created.room);
  const joined = await nextOf(guest, "room_state");
  assert.equal(joined.payload["participant_count"], 2);
  await host.evaluate(() => (window as unknown as { osp: { playerEvent(a: string, p: number): void } }).osp.playerEvent("play", 12));
  const play = await nextOf(guest, "player_event");
  assert.deepEqual([play.payload.action, play.payload["position"]], ["play", 12]);
});
