/**
 * Getting the mpv command onto the party server, or a one-line reason why
 * not: the `--server` URL as users type it, a bounded connect with the
 * SDK's own retries, and the server's refusals said in CLI terms.
 */
import WebSocket from "ws";
import type { PartyClient } from "../client/party-client.js";
import { PartyError } from "../client/errors.js";
import type { WebSocketFactory, WebSocketLike } from "../client/socket.js";

/** A start-up failure of the mpv command: `message` is one sentence naming what failed and what to do. */
export class MpvPartyError extends Error {
  override name = "MpvPartyError";
}

/**
 * The party server's WebSocket URL from what a user typed: ws(s) URLs as
 * given; an http(s) URL (the party page's address) becomes the WebSocket
 * next to that page, `<page dir>/ws` (as the page itself connects), with
 * `https` → `wss`. Throws MpvPartyError for anything else.
 */
export function serverWsUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new MpvPartyError(`--server expects a URL such as ws://localhost:3001/ws, got "${input}".`);
  }
  if (url.protocol === "ws:" || url.protocol === "wss:") return url.toString();
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MpvPartyError(`--server expects a ws://, wss://, http:// or https:// URL, got "${input}".`);
  }
  const tls = url.protocol === "https:";
  if (!url.pathname.endsWith("/ws")) url.pathname = `${url.pathname.replace(/\/[^/]*\.html?$/, "/").replace(/\/*$/, "")}/ws`;
  url.protocol = tls ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** Node's codes for a certificate the client does not trust. */
const CERT_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
]);

/** What the last socket's failure says, in words a user can act on; `final` when retrying cannot change it. */
function describe(err: Error & { code?: string }, url: URL): { text: string; final: boolean } {
  const hostPort = `${url.hostname}:${url.port || (url.protocol === "wss:" ? 443 : 80)}`;
  const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
  if (status === "404" || status === "400" || status === "426") {
    return { text: `${hostPort} answered HTTP ${status}: no party server WebSocket at path ${url.pathname} (it is usually /ws)`, final: true };
  }
  if (status) return { text: `${hostPort} answered HTTP ${status}`, final: false };
  if (err.code && (CERT_CODES.has(err.code) || err.code.startsWith("ERR_TLS_CERT"))) {
    return {
      text: `its TLS certificate is not accepted (${err.message}): trust a self-signed one with NODE_EXTRA_CA_CERTS=<its certificate file>, or check the host name`,
      final: true,
    };
  }
  if (err.code === "EPROTO" && /wrong version number/.test(err.message)) {
    return { text: `${hostPort} does not speak TLS: use ws:// instead of wss://`, final: true };
  }
  if (err.code === "ECONNRESET" && url.protocol === "ws:") {
    return { text: `${hostPort} reset the connection (a server with TLS needs wss://)`, final: false };
  }
  if (err.code === "ECONNREFUSED") return { text: `connection refused: nothing listens on ${hostPort}`, final: false };
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return { text: `host ${url.hostname} not found`, final: false };
  return { text: err.code ? `${err.code}: ${err.message}` : err.message, final: false };
}

export interface ServerConnectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface WatchedSockets {
  createSocket: WebSocketFactory;
  attempts(): number;
  lastError(): Error | null;
  /** Called with each socket's error (one listener; the connect deadline's). */
  onError: ((err: Error) => void) | null;
}

/** Wraps the `ws` factory so the connect deadline can name why each attempt failed and count them. */
export function watchedSockets(): WatchedSockets {
  let attempts = 0;
  let lastError: Error | null = null;
  const watched: WatchedSockets = {
    createSocket: (url) => {
      attempts++;
      const ws = new WebSocket(url);
      ws.on("error", (err) => {
        lastError = err;
        watched.onError?.(err);
      });
      return ws as unknown as WebSocketLike;
    },
    attempts: () => attempts,
    lastError: () => lastError,
    onError: null,
  };
  return watched;
}

/**
 * client.connect() within `timeoutMs` (the SDK retries with backoff
 * meanwhile); a refusal that retrying cannot change (HTTP 404 on the path,
 * auth) ends it at once. Closes the client and throws MpvPartyError on failure.
 */
export async function connectWithin(
  client: PartyClient,
  url: string,
  sockets: WatchedSockets,
  o: ServerConnectOptions,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    const fail = (why: string) => reject(new MpvPartyError(why));
    const where = `Cannot reach the party server at ${url}`;
    const seconds = Math.round(o.timeoutMs / 1000);
    timer = setTimeout(() => {
      const err = sockets.lastError();
      const cause = err ? describe(err, new URL(url)).text : "no answer to the WebSocket handshake";
      fail(`${where}: ${cause}; tried ${sockets.attempts()} times over ${seconds} s. Start it (opensyncparty serve) or check --server.`);
    }, o.timeoutMs);
    // A cause that retrying cannot change ends the wait at once.
    sockets.onError = (err) => {
      const said = describe(err, new URL(url));
      if (said.final) fail(`${where}: ${said.text}. Check --server.`);
    };
    o.signal?.addEventListener("abort", () => fail("Interrupted while connecting to the party server."), { once: true });
  });
  try {
    await Promise.race([client.connect(), failed]);
  } catch (err) {
    client.close();
    throw err instanceof PartyError ? refused(err, url) : err;
  } finally {
    clearTimeout(timer);
    sockets.onError = null;
  }
}

/** The server's refusal of the hello, said with what to do about it. */
function refused(err: PartyError, url: string): MpvPartyError {
  const fix: Record<string, string> = {
    auth_required: "log in with --jellyfin <url> and --jellyfin-user or --jellyfin-token",
    auth_failed: "log in to Jellyfin again (--jellyfin-user, or a fresh --jellyfin-token)",
    forbidden: "ask the server's admin to allow your account",
  };
  return new MpvPartyError(`The party server at ${url} refused you (${err.code}): ${err.message}${fix[err.code] ? ` To fix: ${fix[err.code]}.` : ""}`);
}
