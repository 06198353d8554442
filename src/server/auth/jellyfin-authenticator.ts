/**
 * Jellyfin users as identity: a client's Jellyfin access token is checked
 * with `GET <jellyfinUrl>/Users/Me` (contract of Jellyfin 10.9–10.11).
 *
 * Plain `fetch`, not `@jellyfin/sdk`: the SDK always builds its
 * Authorization header from clientInfo + deviceInfo (Client, Device,
 * DeviceId, Version, Token), and a differing Device/Version renames the
 * user's browser in Dashboard → Devices. We must send Token only, so the
 * SDK's one call we would use does not fit; one fetch is smaller anyway.
 */
import { createHash } from "node:crypto";
import { AuthError, type Authenticator } from "../core/hub.js";
import { type CoreLogger, RepeatedWarning } from "../core/logger.js";
import type { Identity } from "../core/session.js";

/** The longest token checked, characters (as `hello {token}`, schemas.ts): a longer one is refused without asking Jellyfin. */
export const MAX_TOKEN_CHARS = 4096;
/** Answers remembered at most (good and refused alike); past it the oldest is forgotten first. */
export const MAX_CACHED_ANSWERS = 10_000;

export interface JellyfinAuthOptions {
  jellyfinUrl: string;
  /** How long an answer (good or refused) is trusted, ms. 0 = ask every time. */
  cacheMs: number;
  log: CoreLogger;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  now?: () => number;
  fetchImpl?: typeof fetch;
}

/** The parts of Jellyfin's UserDto we read (PascalCase JSON). */
interface UserDto {
  Id?: string;
  Name?: string;
  Policy?: { IsDisabled?: boolean; SyncPlayAccess?: "CreateAndJoinGroups" | "JoinGroups" | "None" };
}

/**
 * What a token may hold: visible ASCII other than `"` and `\` (Jellyfin's
 * tokens and API keys are 32 hex digits). Anything else cannot go into the
 * quoted header value unchanged — NUL, controls and characters above U+00FF
 * make fetch throw before any request — so such a token is refused as a
 * wrong one (`auth_failed`), not blamed on Jellyfin (`auth_unavailable`:
 * "retry later", and a warning that Jellyfin is unreachable).
 */
const TOKEN_SHAPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Header value with the token only (the token is TOKEN_SHAPE: nothing in it can break the quoted string). */
export function tokenHeader(token: string): string {
  return `MediaBrowser Token="${token}"`;
}

/** Maps a UserDto to an Identity, or throws `forbidden` for a disabled user. */
export function identityFromUser(user: UserDto): Identity {
  if (user.Policy?.IsDisabled) throw new AuthError("forbidden", "This Jellyfin account is disabled.");
  const access = user.Policy?.SyncPlayAccess ?? "CreateAndJoinGroups";
  return {
    userId: user.Id ?? null,
    name: user.Name ?? null,
    canJoin: access !== "None",
    canCreate: access === "CreateAndJoinGroups",
  };
}

export function createJellyfinAuthenticator(opts: JellyfinAuthOptions): Authenticator {
  const base = opts.jellyfinUrl.replace(/\/+$/, "");
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetchImpl ?? fetch;
  const cache = new Map<string, { at: number; result: Promise<Identity> }>();
  // Every client retries while Jellyfin is down: one line for the outage (then one per 10 s with a count), not one per try.
  const unreachable = new RepeatedWarning(opts.log, "Jellyfin unreachable; cannot check token");
  const failing = new RepeatedWarning(opts.log, "Jellyfin error while checking token");
  const unreadable = new RepeatedWarning(opts.log, "Jellyfin sent a non-JSON /Users/Me answer");

  async function ask(token: string): Promise<Identity> {
    let res: Response;
    try {
      res = await doFetch(`${base}/Users/Me`, {
        headers: { Authorization: tokenHeader(token), Accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      unreachable.note({ jellyfinUrl: base, err: String(err) });
      throw new AuthError("auth_unavailable", "The Jellyfin server could not be reached to check your login.");
    }
    if (res.status === 401 || res.status === 403 || res.status === 400) {
      // 400: an admin API key (no user) — not a person who can join a party.
      throw new AuthError("auth_failed", "Jellyfin did not accept this access token.");
    }
    if (!res.ok) {
      failing.note({ jellyfinUrl: base, status: res.status });
      throw new AuthError("auth_unavailable", `Jellyfin answered ${res.status} while checking your login.`);
    }
    let user: UserDto;
    try {
      user = (await res.json()) as UserDto;
    } catch {
      unreadable.note({ jellyfinUrl: base });
      throw new AuthError("auth_unavailable", "Jellyfin sent an unreadable answer.");
    }
    return identityFromUser(user);
  }

  /**
   * Answers by a digest of the token (a fixed 43 characters however long the
   * token, and no token kept in memory), oldest first: entries are added in
   * time order and all live `cacheMs`, so expiry walks only the expired ones
   * at the front, and the cache never holds more than MAX_CACHED_ANSWERS.
   */
  return (token: string) => {
    if (token.length > MAX_TOKEN_CHARS || !TOKEN_SHAPE.test(token)) return Promise.reject(new AuthError("auth_failed", "Jellyfin did not accept this access token."));
    const t = now();
    for (const [k, v] of cache) {
      if (t - v.at < opts.cacheMs) break;
      cache.delete(k);
    }
    const key = createHash("sha256").update(token).digest("base64url");
    const hit = cache.get(key);
    if (hit) return hit.result;
    const result = ask(token);
    if (opts.cacheMs > 0) {
      if (cache.size >= MAX_CACHED_ANSWERS) cache.delete(cache.keys().next().value as string);
      cache.set(key, { at: t, result });
      // Do not remember outages: the next attempt should ask again.
      result.catch((err: unknown) => {
        if (err instanceof AuthError && err.code === "auth_unavailable" && cache.get(key)?.result === result) cache.delete(key);
      });
    }
    return result;
  };
}
