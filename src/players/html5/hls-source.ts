/**
 * Attach an HLS playlist to a media element through hls.js (Media Source
 * Extensions). hls.js is loaded on first use through `loadHls`, a dynamic
 * import by default, so bundles built with code splitting (esbuild
 * `format: "esm", splitting: true`) only fetch it on pages that play HLS.
 * Hosts that already ship hls.js (Jellyfin's web client) can pass their own.
 */
import type Hls from "hls.js";
import type { ErrorData, HlsConfig } from "hls.js";

export type HlsConstructor = typeof Hls;

export interface HlsSourceOptions {
  /** Provides the hls.js class; default: `import("hls.js")`. */
  loadHls?: () => Promise<HlsConstructor>;
  /** Extra hls.js configuration. */
  hlsConfig?: Partial<HlsConfig>;
  /** A fatal error after attach that could not be recovered from. */
  onFatalError: (message: string) => void;
}

export interface HlsSource {
  /** Settles when the element has metadata, or rejects on a fatal error before that. */
  ready: Promise<void>;
  destroy(): void;
}

export const defaultLoadHls = async (): Promise<HlsConstructor> => (await import("hls.js")).default;

function describeHlsError(data: ErrorData): string {
  const reason = data.error?.message ? `: ${data.error.message}` : "";
  return `hls.js ${data.type}/${data.details}${reason}`;
}

export async function attachHls(media: HTMLMediaElement, url: string, options: HlsSourceOptions): Promise<HlsSource> {
  const HlsClass = await (options.loadHls ?? defaultLoadHls)();
  if (!HlsClass.isSupported()) throw new Error("HLS is not playable here: no native support and no Media Source Extensions");
  const hls = new HlsClass({ ...options.hlsConfig });
  let loaded = false;
  let mediaRecoveryUsed = false;
  let failStartup: (err: Error) => void = () => {};

  const ready = new Promise<void>((resolve, reject) => {
    failStartup = reject;
    media.addEventListener(
      "loadedmetadata",
      () => {
        loaded = true;
        resolve();
      },
      { once: true },
    );
  });
  // Startup failures are reported through `ready`; keep an early rejection from going unhandled.
  ready.catch(() => {});

  hls.on(HlsClass.Events.ERROR, (_event, data) => {
    if (!data.fatal) return; // hls.js retries non-fatal errors itself
    // A decode/append problem: hls.js can rebuild the media pipeline once.
    if (data.type === "mediaError" && !mediaRecoveryUsed) {
      mediaRecoveryUsed = true;
      hls.recoverMediaError();
      return;
    }
    const message = describeHlsError(data);
    hls.destroy();
    if (loaded) options.onFatalError(message);
    else failStartup(new Error(message));
  });
  hls.loadSource(url);
  hls.attachMedia(media);
  return { ready, destroy: () => hls.destroy() };
}
