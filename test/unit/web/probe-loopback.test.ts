/**
 * A media link made on the host's computer with localhost / 127.0.0.1 means
 * each viewer's own machine: a friend's page (opened at the server's network
 * address) is told that, not that "nothing answers, is the media server
 * running?" (which it is, on the host's computer).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loopbackElsewhere } from "../../../src/web/standalone/probe.js";

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
