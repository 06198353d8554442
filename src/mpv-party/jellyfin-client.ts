/**
 * The little of Jellyfin's API the mpv command needs: log in as a user,
 * check a token, look up an item, and build its stream URL.
 *
 * Auth (Jellyfin 10.9–10.11): log in with `POST /Users/AuthenticateByName`
 * and the full `MediaBrowser Client=…, Device=…, DeviceId=…, Version=…`
 * header (a stable DeviceId, or every login adds a device in Dashboard →
 * Devices); afterwards send only `MediaBrowser Token="…"`. In URLs use
 * `ApiKey=` (the legacy token headers and query parameter are off from Jellyfin 12).
 */
import { createHash } from "node:crypto";
import { hostname, userInfo } from "node:os";

export const JELLYFIN_CLIENT_NAME = "OpenSyncParty mpv";

/** One clear sentence for the user; the CLI prints `message` alone and exits 1. */
export class JellyfinError extends Error {
  override name = "JellyfinError";
}

export interface JellyfinSession {
  baseUrl: string;
  token: string;
  userId: string;
  userName: string;
}

export interface JellyfinItem {
  id: string;
  name: string;
  /** The stream mpv should open (direct stream unless the source cannot be direct-streamed). */
  streamUrl: string;
}

/** Same machine and OS user → same DeviceId, so repeated logins reuse one device entry. */
export function stableDeviceId(): string {
  return createHash("sha256").update(`${hostname()}\0${userInfo().username}\0opensyncparty-mpv`).digest("hex").slice(0, 32);
}

function loginHeader(version: string, deviceId: string): string {
  const field = (k: string, v: string) => `${k}="${encodeURIComponent(v)}"`;
  return `MediaBrowser ${[field("Client", JELLYFIN_CLIENT_NAME), field("Device", hostname()), field("DeviceId", deviceId), field("Version", version)].join(", ")}`;
}

const tokenHeader = (token: string) => `MediaBrowser Token="${token}"`;
/** A Jellyfin token is visible ASCII (32 hex digits); anything else cannot go into the header and made fetch throw, named as Jellyfin being unreachable. */
const TOKEN_SHAPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new JellyfinError(`Cannot reach Jellyfin at ${new URL(url).origin} to ${what} (${cause}): check --jellyfin and that Jellyfin is running.`);
  }
}

export async function loginWithPassword(
  baseUrl: string,
  user: string,
  password: string,
  opts: { version: string; deviceId?: string },
): Promise<JellyfinSession> {
  const base = baseUrl.replace(/\/+$/, "");
  const res = await call(`${base}/Users/AuthenticateByName`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: loginHeader(opts.version, opts.deviceId ?? stableDeviceId()) },
    body: JSON.stringify({ Username: user, Pw: password }),
  }, "log in");
  if (res.status === 401 || res.status === 403) throw new JellyfinError(`Jellyfin refused the login for "${user}": wrong user name or password.`);
  if (!res.ok) throw new JellyfinError(`Jellyfin answered ${res.status} to the login for "${user}".`);
  const body = (await res.json()) as { AccessToken?: string; User?: { Id?: string; Name?: string } };
  if (!body.AccessToken || !body.User?.Id) throw new JellyfinError("Jellyfin's login answer had no access token.");
  return { baseUrl: base, token: body.AccessToken, userId: body.User.Id, userName: body.User.Name ?? user };
}

export async function loginWithToken(baseUrl: string, token: string): Promise<JellyfinSession> {
  const base = baseUrl.replace(/\/+$/, "");
  if (!TOKEN_SHAPE.test(token)) {
    throw new JellyfinError("That is not a Jellyfin access token: it holds spaces, quotes or other characters a token never has (check for a pasted line break).");
  }
  const res = await call(`${base}/Users/Me`, { headers: { authorization: tokenHeader(token) } }, "check the token");
  if (res.status === 401 || res.status === 403) throw new JellyfinError("Jellyfin refused the access token: it is wrong or has expired.");
  if (res.status === 400) throw new JellyfinError("That token is an API key without a user; use a user's access token or log in with --jellyfin-user.");
  if (!res.ok) throw new JellyfinError(`Jellyfin answered ${res.status} when checking the token.`);
  const me = (await res.json()) as { Id: string; Name: string };
  return { baseUrl: base, token, userId: me.Id, userName: me.Name };
}

interface MediaSourceDto {
  Id?: string;
  SupportsDirectStream?: boolean;
  SupportsDirectPlay?: boolean;
}

/** Looks the item up as the logged-in user and picks its stream: direct when the source allows it, else HLS. */
export async function getItem(s: JellyfinSession, itemId: string): Promise<JellyfinItem> {
  const res = await call(`${s.baseUrl}/Items/${encodeURIComponent(itemId)}`, { headers: { authorization: tokenHeader(s.token) } }, "look up the item");
  if (res.status === 404) throw new JellyfinError(`Jellyfin has no item ${itemId} (or ${s.userName} may not see it).`);
  if (res.status === 401) throw new JellyfinError("Jellyfin refused the access token while looking up the item.");
  if (!res.ok) throw new JellyfinError(`Jellyfin answered ${res.status} for item ${itemId}.`);
  const item = (await res.json()) as { Id: string; Name?: string; MediaSources?: MediaSourceDto[] };
  const source = item.MediaSources?.[0];
  const sourceId = source?.Id ?? item.Id;
  const direct = source === undefined || source.SupportsDirectStream !== false || source.SupportsDirectPlay === true;
  const q = (extra: Record<string, string>) => new URLSearchParams({ ...extra, mediaSourceId: sourceId, ApiKey: s.token }).toString();
  const streamUrl = direct
    ? `${s.baseUrl}/Videos/${item.Id}/stream?${q({ static: "true" })}`
    : `${s.baseUrl}/Videos/${item.Id}/master.m3u8?${q({})}`;
  return { id: item.Id, name: item.Name ?? item.Id, streamUrl };
}

/** A Jellyfin item id: 32 hex digits (Jellyfin Web shows it in `#/details?id=…`), dashes allowed. */
export function isJellyfinItemId(text: string | null | undefined): text is string {
  return typeof text === "string" && /^[0-9a-f]{32}$/i.test(text.replace(/-/g, ""));
}
