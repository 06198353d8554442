/**
 * Jellyfin 12.0 readiness: 12.0 turns off the legacy ways to pass a token
 * (`X-Emby-Token` / `X-MediaBrowser-Token` headers, `X-Emby-Authorization`,
 * the `api_key` query parameter). Nothing under src/ may use them: headers
 * are `Authorization: MediaBrowser Token="…"`, URLs use `ApiKey=`.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const LEGACY = /api_key|X-Emby-Token|X-MediaBrowser-Token|X-Emby-Authorization/i;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js|html)$/.test(name) ? [p] : [];
  });
}

test("no token form that Jellyfin 12.0 removed appears in src/", { timeout: 10_000 }, () => {
  const all = files("src");
  assert.ok(all.length > 20, "the source tree was found");
  const offenders = all.filter((f) => LEGACY.test(readFileSync(f, "utf8")));
  assert.deepEqual(offenders, []);
});
