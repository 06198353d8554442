/**
 * Where the party server is: derived from this script's own `src`
 * (`https://party.example/base/jellyfin.js` → `wss://party.example/base/ws`),
 * so it works behind a reverse proxy, over HTTPS and on any port. An
 * explicit `window.OpenSyncPartyConfig = { server: "wss://…/ws" }` or a
 * `data-server` attribute on the script element wins.
 */
export interface OpenSyncPartyConfig {
  /** WebSocket URL of the party server (`wss://host/ws`), or its http(s) base URL. */
  server?: string;
}

declare global {
  interface Window {
    OpenSyncPartyConfig?: OpenSyncPartyConfig;
  }
}

/** Turns an http(s) base or a ws(s) URL into the party WebSocket URL. */
export function toWsUrl(server: string, base: string): string {
  const u = new URL(server, base);
  if (u.protocol === "http:") u.protocol = "ws:";
  if (u.protocol === "https:") u.protocol = "wss:";
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/ws";
  return u.href;
}

/** `…/jellyfin.js?x` → `…/ws` on the same origin and base path, ws(s) scheme. */
export function wsUrlFromScriptSrc(src: string): string {
  const u = new URL(src);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.pathname = u.pathname.replace(/\/[^/]*$/, "/ws");
  u.search = "";
  u.hash = "";
  return u.href;
}

export function resolveServerUrl(script: HTMLScriptElement | null, win: Window): string {
  const explicit = win.OpenSyncPartyConfig?.server ?? script?.dataset.server;
  if (explicit) return toWsUrl(explicit, win.location.href);
  if (script?.src) return wsUrlFromScriptSrc(script.src);
  // Inline or bundled without a src: assume the party server serves this page (proxy mode).
  return toWsUrl("/ws", win.location.href);
}
