/**
 * Point a media element at a URL: MP4/WebM (and HLS where the browser plays
 * it natively) through `src`, HLS elsewhere through hls.js.
 *
 * Resolves once the element has metadata (duration known, seeks possible);
 * rejects when the media cannot load. Errors after that surface as the
 * element's own `error` event or, for hls.js, as `onError` plus a
 * MEDIA_LOAD_ERROR_EVENT on the element (Html5Player reports both as `error`).
 * Call `destroy()` before loading another URL into the same element.
 */
import { attachHls, type HlsConstructor } from "./hls-source.js";
import { describeMediaError, MEDIA_LOAD_ERROR_EVENT, type MediaLoadErrorDetail } from "./media-state.js";
import type { HlsConfig } from "hls.js";

export interface LoadedMedia {
  /** `native`: the browser decodes the URL itself; `hls`: hls.js feeds it through MSE. */
  kind: "native" | "hls";
  /** Detach and stop downloading; idempotent. */
  destroy(): void;
}

export interface LoadMediaOptions {
  /**
   * How to play HLS: `auto` (default) uses hls.js wherever Media Source
   * Extensions can play H.264/AAC, and native playback only where they
   * cannot but `canPlayType('application/vnd.apple.mpegurl')` is non-empty
   * (iOS Safari). This is hls.js's own recommendation, and it keeps Chromium's
   * native HLS player (Chromium 14x+) out of the default path: that player
   * leaves some seeks unfinished and fails outright on a seek to the exact end.
   */
  hlsMode?: "auto" | "native" | "hlsjs";
  /** Treat the URL as HLS or not regardless of its extension (default: path ends in `.m3u8`). */
  isHls?: boolean;
  loadHls?: () => Promise<HlsConstructor>;
  hlsConfig?: Partial<HlsConfig>;
  /** Fatal hls.js error after load. */
  onError?: (message: string) => void;
}

export const HLS_MIME_TYPE = "application/vnd.apple.mpegurl";

/** True when the URL's path (not its query) names an HLS playlist. */
export function looksLikeHls(url: string): boolean {
  const path = new URL(url, globalThis.location?.href ?? "http://localhost/").pathname;
  return path.toLowerCase().endsWith(".m3u8");
}

export async function loadMedia(
  media: HTMLMediaElement,
  url: string,
  options: LoadMediaOptions = {},
): Promise<LoadedMedia> {
  const hls = options.isHls ?? looksLikeHls(url);
  const mode = options.hlsMode ?? "auto";
  const native = !hls || mode === "native" || (mode === "auto" && !mseCanPlayHls() && media.canPlayType(HLS_MIME_TYPE) !== "");
  if (native) return loadNative(media, url);

  const source = await attachHls(media, url, {
    loadHls: options.loadHls,
    hlsConfig: options.hlsConfig,
    onFatalError: (message) => {
      options.onError?.(message);
      const detail: MediaLoadErrorDetail = { message };
      media.dispatchEvent(new CustomEvent(MEDIA_LOAD_ERROR_EVENT, { detail }));
    },
  });
  try {
    await source.ready;
  } catch (err) {
    source.destroy();
    throw err;
  }
  return { kind: "hls", destroy: once(() => source.destroy()) };
}

/** MSE can play what HLS streams carry (the check hls.js's `isSupported()` makes), without loading hls.js. */
function mseCanPlayHls(): boolean {
  const ms = (globalThis as { MediaSource?: { isTypeSupported(type: string): boolean } }).MediaSource;
  return ms?.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"') === true;
}

async function loadNative(media: HTMLMediaElement, url: string): Promise<LoadedMedia> {
  const controller = new AbortController();
  const loaded = new Promise<void>((resolve, reject) => {
    const { signal } = controller;
    media.addEventListener("loadedmetadata", () => resolve(), { once: true, signal });
    media.addEventListener("error", () => reject(new Error(`cannot load ${url}: ${describeMediaError(media)}`)), {
      once: true,
      signal,
    });
  });
  media.src = url;
  try {
    await loaded;
  } finally {
    controller.abort();
  }
  const destroy = once(() => {
    media.removeAttribute("src");
    media.load(); // drops the resource and stops any download
  });
  return { kind: "native", destroy };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
