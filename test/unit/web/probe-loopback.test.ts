/**
 * A media link made on the host's computer with localhost / 127.0.0.1 means
 * each viewer's own machine: a friend's page (opened at the server's network
 * address) is told that, not that "nothing answers, is the media server
 * running?" (which it is, on the host's computer).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loopbackElsewhere, probeMedia } from "../../../src/web/standalone/probe.js";

test("a loopback media link seen from a page served at another address is named as the host's own computer", { timeout: 10_000 }, () => {
  for (const media of ["http://127.0.0.1:8096/clip.mp4", "http://localhost:8000/a.mp4", "http://[::1]:80/a.mp4", "http://media.localhost/a.mp4"]) {
    const message = loopbackElsewhere(new URL(media), "192.168.1.20");
    assert.ok(message, `${media} from 192.168.1.20`);
    assert.match(message, /only works on the host's computer/);
    assert.match(message, new RegExp(new URL(media).host.replace(/[[\].]/g, "\\$&")));
  }
});

test("a loopback link seen on a loopback page, or a network link anywhere, is not that case", { timeout: 10_000 }, () => {
  assert.equal(loopbackElsewhere(new URL("http://127.0.0.1:8096/clip.mp4"), "localhost"), null);
  assert.equal(loopbackElsewhere(new URL("http://localhost:8096/clip.mp4"), "127.0.0.1"), null);
  assert.equal(loopbackElsewhere(new URL("http://192.168.1.5:8096/clip.mp4"), "192.168.1.20"), null);
  assert.equal(loopbackElsewhere(new URL("https://media.example.org/clip.mp4"), "party.example.org"), null);
});

/** Runs `fn` with this page address and a fetch that fails as a blocked or unanswered request does. */
async function withFailingFetch<T>(pageUrl: string, fn: () => Promise<T>): Promise<T> {
  const saved = { fetch: globalThis.fetch, location: Object.getOwnPropertyDescriptor(globalThis, "location") };
  globalThis.fetch = async () => {
    throw new TypeError("Failed to fetch");
  };
  Object.defineProperty(globalThis, "location", { value: new URL(pageUrl), configurable: true });
  try {
    return await fn();
  } finally {
    globalThis.fetch = saved.fetch;
    if (saved.location) Object.defineProperty(globalThis, "location", saved.location);
    else Reflect.deleteProperty(globalThis, "location");
  }
}

test("an http:// media link that fails from an https page is named as blocked mixed content, not as an unreachable server", { timeout: 10_000 }, async () => {
  const onHttps = await withFailingFetch("https://party.example/", () => probeMedia("http://192.0.2.9:8000/clip.mp4", 1000));
  assert.equal(onHttps?.kind, "mixed_content");
  assert.match(onHttps?.message ?? "", /served over https.*http:\/\/ video.*192\.0\.2\.9:8000/);
  const onHttp = await withFailingFetch("http://party.example/", () => probeMedia("http://192.0.2.9:8000/clip.mp4", 1000));
  assert.equal(onHttp?.kind, "refused", "from an http page the same failure is an unreachable server");
  assert.match(onHttp?.message ?? "", /unreachable/);
});
