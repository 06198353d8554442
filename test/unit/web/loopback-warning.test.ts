/** The host is warned when the media link means "this computer" but the invite link points friends at another address. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loopbackMediaWarning } from "../../../src/web/standalone/loopback-warning.js";

test("a loopback media link in a party invited to at another address is warned about, with a reachable address", { timeout: 10_000 }, () => {
  const invite = new URL("http://192.0.2.2:3901/");
  for (const media of ["http://localhost:3911/test.mp4", "http://127.0.0.1:3911/test.mp4", "http://127.5.6.7:3911/test.mp4", "http://[::1]:3911/test.mp4", "https://media.localhost/a.mp4"]) {
    const warning = loopbackMediaWarning(media, invite);
    assert.ok(warning, media);
    assert.match(warning, /Friends can't play this media/);
    assert.match(warning, /192\.0\.2\.2/, "names the invite's address");
  }
  assert.match(loopbackMediaWarning("http://localhost:3911/test.mp4", invite) ?? "", /for example http:\/\/192\.0\.2\.2:3911\/test\.mp4/);
});

test("no warning when friends can reach the media, or the party stays on this computer", { timeout: 10_000 }, () => {
  assert.equal(loopbackMediaWarning("http://192.0.2.2:3911/a.mp4", new URL("http://192.0.2.2:3901/")), null);
  assert.equal(loopbackMediaWarning("https://media.example.org/a.mp4", new URL("https://party.example.org/")), null);
  assert.equal(loopbackMediaWarning("http://localhost:3911/a.mp4", new URL("http://localhost:3901/")), null, "invite on loopback too");
  assert.equal(loopbackMediaWarning("http://127.0.0.1:3911/a.mp4", new URL("http://[::1]:3901/")), null);
  assert.equal(loopbackMediaWarning("not a url", new URL("http://192.0.2.2:3901/")), null);
});
