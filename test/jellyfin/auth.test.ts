/**
 * `--jellyfin-url`: tokens are checked against a stand-in Jellyfin
 * (`GET /Users/Me`, Token-only header); refused users get coded errors,
 * a good token's Jellyfin name is what the room shows.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_CACHED_ANSWERS, MAX_TOKEN_CHARS, createJellyfinAuthenticator } from "../../src/server/auth/jellyfin-authenticator.js";
import { AuthError } from "../../src/server/core/hub.js";
import { JellyfinError, loginWithToken } from "../../src/mpv-party/jellyfin-client.js";
import { silentLogger } from "../../src/server/core/logger.js";
import { startStandIn } from "../fixtures/jellyfin/stand-in.js";
import { startServer } from "../support/server.js";
import { TestClient } from "../support/ws-client.js";

async function refusedWith(t: Parameters<typeof startServer>[0], url: string, code: string): Promise<void> {
  const c = await TestClient.connect(t, url);
  const err = await c.error(code);
  assert.equal(err.payload.code, code);
}

test("a bad token, a disabled user and a SyncPlayAccess None user are refused with coded errors", { timeout: 120_000 }, async (t) => {
  const jf = await startStandIn(t);
  const server = await startServer(t, { jellyfinUrl: jf.url });
  await refusedWith(t, `${server.url}?token=not-a-token`, "auth_failed");
  await refusedWith(t, `${server.url}?token=token-disabled`, "forbidden");

  const nosync = await TestClient.connect(t, `${server.url}?token=token-nosync`);
  nosync.send("create_room", { name: "mine", display_name: "x" });
  await nosync.error("forbidden");

  // No token at all: the server is closed to anonymous clients.
  const anon = await TestClient.connect(t, server.url);
  anon.send("create_room", { name: "anon" });
  await anon.error("auth_required");

  // Only Token is sent: a Device/Version field would rename the user's browser in Jellyfin.
  assert.ok(jf.authHeaders.length >= 3);
  for (const h of jf.authHeaders) assert.match(h, /^MediaBrowser Token="[^"]+"$/);
});

test("a good token shows the Jellyfin user's name; JoinGroups may join but not create", { timeout: 120_000 }, async (t) => {
  const jf = await startStandIn(t);
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const alice = await TestClient.connect(t, `${server.url}?token=token-alice`);
  alice.send("create_room", { name: "Movie night", display_name: "spoofed" });
  const created = await alice.next("room_state");
  const roomId = created.room || created.payload.room_id;
  assert.ok(roomId);

  const jo = await TestClient.connect(t, `${server.url}?token=token-joinonly`);
  jo.send("create_room", { name: "nope" });
  await jo.error("forbidden");
  jo.send("join_room", { display_name: "spoofed too" }, roomId);
  const joined = await alice.next("participants_update", (m) => JSON.stringify(m.payload).includes("Jo JoinOnly"));
  const text = JSON.stringify(joined.payload);
  assert.match(text, /Alice Jellyfin/);
  assert.doesNotMatch(text, /spoofed/);
});

test("Jellyfin down: auth_unavailable and a log line, not a crash; answers are cached briefly", { timeout: 120_000 }, async (t) => {
  const jf = await startStandIn(t);
  const lines: string[] = [];
  const log = { ...silentLogger, warn: (_o: object, msg?: string) => void lines.push(msg ?? "") };
  let clock = 0;
  const auth = createJellyfinAuthenticator({ jellyfinUrl: jf.url, cacheMs: 1000, log, now: () => clock });
  assert.equal((await auth("token-bob")).name, "Bob Jellyfin");
  await auth("token-bob");
  assert.equal(jf.requests.filter((r) => r === "GET /Users/Me").length, 1, "second answer came from the cache");
  clock = 2000;
  jf.failing = true;
  await assert.rejects(auth("token-bob"), (e: unknown) => e instanceof AuthError && e.code === "auth_unavailable");
  assert.ok(lines.some((l) => /Jellyfin/.test(l)));

  const down = createJellyfinAuthenticator({ jellyfinUrl: "http://127.0.0.1:1", cacheMs: 0, log });
  await assert.rejects(down("token-bob"), (e: unknown) => e instanceof AuthError && e.code === "auth_unavailable");

  const server = await startServer(t, { jellyfinUrl: jf.url });
  await refusedWith(t, `${server.url}?token=token-bob`, "auth_unavailable");
});

test("refused tokens cannot fill memory: answers are cached by digest, at most MAX_CACHED_ANSWERS, and a token over MAX_TOKEN_CHARS is refused without asking", { timeout: 120_000 }, async () => {
  let asked = 0;
  let clock = 0;
  // Jellyfin's answer to a token it does not know, without a network round trip per token.
  const fetchImpl = (async () => {
    asked++;
    return new Response("", { status: 401 });
  }) as typeof fetch;
  const auth = createJellyfinAuthenticator({ jellyfinUrl: "http://jellyfin.invalid", cacheMs: 60_000, log: silentLogger, now: () => clock, fetchImpl });
  const refused = (e: unknown) => e instanceof AuthError && e.code === "auth_failed";

  await assert.rejects(auth("x".repeat(MAX_TOKEN_CHARS + 1)), refused);
  assert.equal(asked, 0, "an over-long token is refused without asking Jellyfin");

  const n = MAX_CACHED_ANSWERS + 500;
  for (let i = 0; i < n; i++) await assert.rejects(auth(`bad-${i}-${"y".repeat(4000)}`), refused);
  assert.equal(asked, n);
  // The newest answers are remembered; the oldest were forgotten to stay within the cap.
  await assert.rejects(auth(`bad-${n - 1}-${"y".repeat(4000)}`), refused);
  assert.equal(asked, n, "a recent refusal comes from the cache");
  await assert.rejects(auth(`bad-0-${"y".repeat(4000)}`), refused);
  assert.equal(asked, n + 1, "the oldest refusal was forgotten (the cache stays within its cap)");
  // After cacheMs every answer expires: asked again.
  clock = 60_000;
  await assert.rejects(auth(`bad-${n - 1}-${"y".repeat(4000)}`), refused);
  assert.equal(asked, n + 2);
});

test("a token that cannot be sent in an HTTP header (NUL, controls, non-ASCII, lone surrogate) is auth_failed without asking Jellyfin and without an 'unreachable' log line", { timeout: 120_000 }, async (t) => {
  const jf = await startStandIn(t);
  const warnings: string[] = [];
  const log = { ...silentLogger, warn: (_o: object, msg?: string) => void warnings.push(msg ?? "") };
  const auth = createJellyfinAuthenticator({ jellyfinUrl: jf.url, cacheMs: 0, log });
  const refused = (e: unknown) => e instanceof AuthError && e.code === "auth_failed";
  // Fuzzer's finding: these were blamed on Jellyfin (auth_unavailable: "retry later") and logged as an outage.
  for (const token of ["tok\u0000en", "\uD800", "a\u2028b", "€uro", "a b", "a\tb", "a\rb", 'a"b', "a\\b", "ünïcode"]) {
    await assert.rejects(auth(token), refused, JSON.stringify(token));
  }
  assert.equal(jf.requests.filter((r) => r === "GET /Users/Me").length, 0, "Jellyfin was not asked");
  assert.deepEqual(warnings, []);
  assert.equal((await auth("token-bob")).name, "Bob Jellyfin", "a real token still works");

  // At connect the refusal is the one a wrong token gets: auth_failed, then close 4001.
  const server = await startServer(t, { jellyfinUrl: jf.url });
  const c = await TestClient.connect(t, `${server.url}?token=%00`);
  await c.error("auth_failed", 15_000);
  assert.equal(await c.waitClosed(15_000), 4001);
  const h = await TestClient.connect(t, server.url);
  h.send("hello", { token: "\uD800" }, "", { id: 1 });
  const err = await h.next("error", (m) => m.payload.ref === 1, 15_000);
  assert.equal(err.payload.code, "auth_failed");
});

test("opensyncparty mpv: a --jellyfin-token with a pasted space or line break is named as not a token, not as Jellyfin being unreachable", { timeout: 60_000 }, async (t) => {
  const jf = await startStandIn(t);
  for (const token of ["token-bob\n", "token bob", "tökén"]) {
    await assert.rejects(loginWithToken(jf.url, token), (e: unknown) => e instanceof JellyfinError && /not a Jellyfin access token/.test(e.message), JSON.stringify(token));
  }
  assert.equal(jf.requests.filter((r) => r === "GET /Users/Me").length, 0);
  assert.equal((await loginWithToken(jf.url, "token-bob")).userName, "Bob Jellyfin");
});

test("Jellyfin down while clients retry: one warning for the outage, not one per try", { timeout: 60_000 }, async () => {
  const lines: string[] = [];
  const log = { ...silentLogger, warn: (_o: object, msg?: string) => void lines.push(msg ?? "") };
  const down = createJellyfinAuthenticator({ jellyfinUrl: "http://127.0.0.1:1", cacheMs: 60_000, log });
  for (let i = 0; i < 5; i++) {
    await assert.rejects(down(`token-${i}`), (e: unknown) => e instanceof AuthError && e.code === "auth_unavailable");
  }
  assert.deepEqual(lines, ["Jellyfin unreachable; cannot check token"]);
});
