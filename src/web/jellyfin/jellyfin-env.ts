/**
 * What the script uses of Jellyfin Web 10.9–10.11: `window.ApiClient`
 * (legacy jellyfin-apiclient), `window.Events`, `window.Emby.Page`, the
 * hash routes and the player DOM. Everything here is feature-checked:
 * a missing piece degrades, it does not throw.
 */
export interface UserDto {
  Id: string;
  Name: string;
}

/** The fields of Jellyfin's BaseItemDto the script reads. */
export interface ItemDto {
  Id: string;
  Name?: string;
  Type?: string;
  SeriesName?: string;
  /** Season number of an episode. */
  ParentIndexNumber?: number;
  /** Episode number. */
  IndexNumber?: number;
  ProductionYear?: number;
}

export interface ApiClientLike {
  accessToken(): string | null;
  getCurrentUserId(): string | null;
  getCurrentUser(): Promise<UserDto>;
  deviceId(): string;
  getUrl(path: string, params?: Record<string, string>): string;
  getJSON(url: string): Promise<unknown>;
  getItem(userId: string, itemId: string): Promise<ItemDto>;
}

interface EventsLike {
  on(target: object, name: string, fn: (e: unknown, data: unknown) => void): void;
}

interface JellyfinWindow {
  ApiClient?: ApiClientLike;
  Events?: EventsLike;
  Emby?: { Page?: { show(path: string): unknown } };
}

const jw = (): JellyfinWindow => window as unknown as JellyfinWindow;
export const ITEM_ID_RE = /[0-9a-f]{32}/i;

/** Resolves once a user is logged in (polls every 300 ms, as the JS Injector plugin does). */
export function whenLoggedIn(): Promise<ApiClientLike> {
  return new Promise((resolve) => {
    const check = () => {
      const api = jw().ApiClient;
      if (api?.getCurrentUserId() && api.accessToken()) resolve(api);
      else setTimeout(check, 300);
    };
    check();
  });
}

/**
 * Resolves once the user `userId` signed in with `token` is no longer the
 * one `window.ApiClient` names (polled every 1 s): signed out, or another
 * user signed in. Jellyfin Web signs out and in without reloading the page
 * (ServerConnections `localusersignedout` / `localusersignedin`, which may
 * also replace `window.ApiClient`), and a signed-out token is revoked.
 */
export function whenSignedOut(userId: string, token: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const api = jw().ApiClient;
      if (api?.getCurrentUserId() !== userId || api.accessToken() !== token) resolve();
      else setTimeout(check, 1000);
    };
    check();
  });
}

/** The Jellyfin player element (`video.htmlvideoplayer`), if any. */
export function currentVideo(): HTMLVideoElement | null {
  return document.querySelector<HTMLVideoElement>("video.htmlvideoplayer");
}

/**
 * The item id in a Jellyfin stream or API URL: Direct Play / Direct Stream
 * (`/Videos/{id}/stream…`), HLS (`/videos/{id}/master.m3u8`, `main.m3u8`,
 * `hls1/…`), audio, and `/Items/{id}/PlaybackInfo`. Null for a `blob:`
 * (hls.js) or any URL without one.
 */
export function itemIdFromUrl(url: string): string | null {
  const m = /\/(?:Videos|Audio|Items)\/([0-9a-f]{32})(?:\/|$|\?)/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}

/** What this browser's Jellyfin session reports as playing (`GET /Sessions?deviceId=…`), or null. */
export async function sessionItemId(api: ApiClientLike): Promise<string | null> {
  const sessions = (await api.getJSON(api.getUrl("Sessions", { deviceId: api.deviceId() }))) as Array<{
    NowPlayingItem?: { Id?: string };
  }>;
  const id = sessions.find((s) => s.NowPlayingItem?.Id)?.NowPlayingItem?.Id;
  return id ? id.toLowerCase() : null;
}

/**
 * Takes this browser to an item and starts it: the details route, then its
 * Play button (what a viewer would click; `playbackManager` is not global)
 * once shown — Jellyfin Web keeps it hidden (`.hide`) until the item has
 * loaded, and a click before that plays no item (seen under CPU load).
 */
export function navigateAndPlay(itemId: string): void {
  const path = `/details?id=${itemId}`;
  const page = jw().Emby?.Page;
  if (page) page.show(path);
  else location.hash = `#${path}`;
  const deadline = Date.now() + 15_000;
  const tryPlay = () => {
    const btn = document.querySelector<HTMLElement>("#itemDetailPage:not(.hide) .btnPlay:not(.hide), .itemDetailPage:not(.hide) .btnPlay:not(.hide)");
    if (btn && location.hash.includes(itemId)) btn.click();
    else if (Date.now() < deadline) setTimeout(tryPlay, 200);
  };
  tryPlay();
}

/** Calls back with true while this browser is in a Jellyfin SyncPlay group. */
export function watchSyncPlay(api: ApiClientLike, cb: (active: boolean) => void): void {
  jw().Events?.on(api, "message", (_e, raw) => {
    const msg = raw as { MessageType?: string; Data?: { Type?: string } };
    if (msg.MessageType !== "SyncPlayGroupUpdate") return;
    const type = msg.Data?.Type;
    if (type === "GroupJoined") cb(true);
    else if (type === "GroupLeft" || type === "NotInGroup" || type === "GroupDoesNotExist") cb(false);
  });
}
