/**
 * Every URL the page uses, derived from where it was served, so it works
 * under a sub-path behind a reverse proxy (`/party/`) and over https (wss).
 */

/** The directory the page was served from, e.g. `https://example.com/party/`. */
export function pageBase(): URL {
  return new URL("./", location.href);
}

/** The party server's WebSocket next to the page: `<base>ws`, `https` → `wss`. */
export function wsUrl(): string {
  const url = new URL("ws", pageBase());
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** The page's own path for the lobby (`<base>`) or a room (`<base>?room=<id>`), for history entries. */
export function pagePath(roomId?: string): string {
  const url = pageBase();
  if (roomId) url.searchParams.set("room", roomId);
  return url.pathname + url.search;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * Where invite links point: the server's `--public-url`, else the page's own
 * address, except that a page opened on localhost uses the server's guess of
 * its LAN address (a localhost link is useless to friends).
 */
export function inviteBase(hello: { public_url?: string | null; lan_url?: string | null } | null): URL {
  if (hello?.public_url) return new URL(hello.public_url.endsWith("/") ? hello.public_url : `${hello.public_url}/`);
  if (hello?.lan_url && LOOPBACK.test(location.hostname)) return new URL(hello.lan_url);
  return pageBase();
}
