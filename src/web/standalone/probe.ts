/**
 * Finds out why media will not play, before a room is made from it and when
 * it fails later, and names the cause: not found, refused, CORS blocked, no
 * Range support (seeking would not work), not playable in this browser.
 *
 * 1. A one-byte Range GET (Range is a CORS-safelisted header: no preflight).
 *    An HTTP error names its status; a 200 instead of 206 means the server
 *    ignores Range, so every seek would restart the file.
 * 2. If that fetch fails, a `no-cors` fetch tells "the server answers but
 *    does not allow this page to read it" (CORS) from "nothing answers".
 *    A plain `<video>` does not need CORS; hls.js does.
 * 3. A detached `<video>` loads the metadata: a format or codec this browser
 *    cannot play is named as such, and media the browser cannot seek in
 *    (its server ignores Range: seekable ends at 0) as no Range support —
 *    also when step 1 could not read the answer (no CORS).
 * An http:// link that fails from an https page is named as blocked mixed
 * content, not as an unreachable server.
 */

export type MediaProblemKind = "not_found" | "http_error" | "refused" | "cors" | "no_range" | "unplayable" | "mixed_content";

export interface MediaProblem {
  kind: MediaProblemKind;
  message: string;
}

const isHlsUrl = (url: URL) => /\.m3u8$/i.test(url.pathname);
const isHlsType = (type: string | null) => !!type && /mpegurl/i.test(type);

/** What a probe learned besides problems: the media's duration, s, when its metadata loaded (not for HLS). */
export interface ProbeInfo {
  durationS?: number;
}

export async function probeMedia(raw: string, timeoutMs = 10_000, info: ProbeInfo = {}): Promise<MediaProblem | null> {
  const url = new URL(raw);
  let hls = isHlsUrl(url);
  let corsBlocked = false;
  try {
    const res = await fetch(url, { headers: { Range: "bytes=0-1" }, cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
    void res.body?.cancel().catch(() => {});
    hls ||= isHlsType(res.headers.get("content-type"));
    if (res.status === 404 || res.status === 410) {
      return { kind: "not_found", message: `Media not found: the server at ${url.host} says there is no such file (HTTP ${res.status}). Check the link.` };
    }
    if (res.status === 401 || res.status === 403) {
      return { kind: "http_error", message: `Media refused: the server at ${url.host} does not allow access (HTTP ${res.status}). The link may need a key (for Jellyfin, ApiKey=…).` };
    }
    if (res.status >= 400) {
      return { kind: "http_error", message: `Media server error: ${url.host} answered HTTP ${res.status} ${res.statusText}.` };
    }
    if (!hls && res.status !== 206) {
      return {
        kind: "no_range",
        message: `No Range support: ${url.host} ignores byte-range requests (it answered ${res.status} instead of 206), so seeking will not work — every jump would restart at 0:00. Serve the file from a server that supports Range requests (for example \`npx http-server --cors\`).`,
      };
    }
  } catch (err) {
    if (err instanceof DOMException && err.name === "TimeoutError") {
      return { kind: "refused", message: `Media server not answering: ${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s.` };
    }
    try {
      await fetch(url, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
      corsBlocked = true;
    } catch {
      const elsewhere = loopbackElsewhere(url, location.hostname);
      if (elsewhere) return { kind: "refused", message: elsewhere };
      // An https page may load http:// media only once the browser upgraded it to https: what failed here.
      if (location.protocol === "https:" && url.protocol === "http:") {
        return {
          kind: "mixed_content",
          message: `Blocked: this page is served over https, and browsers load an http:// video into it only over https, which ${url.host} does not answer. Give an https:// media link (for example through the same TLS proxy as this page), or use the party page over http.`,
        };
      }
      return {
        kind: "refused",
        message: `Media server unreachable: nothing answers at ${url.protocol}//${url.host} (connection refused, or the host cannot be reached). Is the media server running, and is the address right?`,
      };
    }
  }
  if (corsBlocked && hls) {
    return {
      kind: "cors",
      message: `CORS blocked: ${url.host} answers but does not allow this page (${location.origin}) to read the stream, which HLS playback needs. Allow this origin in the media server's CORS settings (Access-Control-Allow-Origin).`,
    };
  }
  if (!hls) return playability(url.toString(), timeoutMs, corsBlocked, info);
  return null;
}

export const isLoopbackHost = (hostname: string) =>
  hostname === "localhost" || hostname.endsWith(".localhost") || /^127\./.test(hostname) || hostname === "[::1]";

/**
 * The media link names "this computer" (localhost, 127.x, ::1) but this page
 * came from another address: the link was made on the host's computer and
 * means the host's own machine, which this browser cannot reach that way
 * (Chromium also blocks such requests from a non-local page). Returns the
 * message that says so, or null when that is not the case.
 */
export function loopbackElsewhere(media: URL, pageHostname: string): string | null {
  if (!isLoopbackHost(media.hostname) || isLoopbackHost(pageHostname) || pageHostname === "") return null;
  return `Media address only works on the host's computer: ${media.protocol}//${media.host} means "this computer", so your browser looks for the video on your own machine. Ask the host to change the media to an address others can reach (for example the computer's network address instead of ${media.hostname}).`;
}

/** Loads the metadata into a detached, muted `<video>`; names a format this browser cannot play. */
function playability(url: string, timeoutMs: number, corsBlocked: boolean, info: ProbeInfo): Promise<MediaProblem | null> {
  const video = document.createElement("video");
  video.muted = true;
  video.preload = "metadata";
  return new Promise<MediaProblem | null>((resolve) => {
    const done = (result: MediaProblem | null) => {
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      resolve(result);
    };
    // No verdict in time (a slow server): let the room try; a later failure is diagnosed then.
    const timer = setTimeout(() => done(null), timeoutMs);
    video.addEventListener(
      "loadedmetadata",
      () => {
        const duration = video.duration;
        if (Number.isFinite(duration) && duration > 0) info.durationS = duration;
        // Also where the Range check could not read the answer (no CORS: python3 -m http.server): a server without
        // Range support leaves the browser nothing to jump to (seekable [0, 0]).
        const seekableEnd = video.seekable.length > 0 ? video.seekable.end(video.seekable.length - 1) : 0;
        if (Number.isFinite(duration) && duration > 1 && seekableEnd < duration - 1) {
          done({
            kind: "no_range",
            message: `No Range support: ${new URL(url).host} does not let the browser jump in the file (it can seek to ${seekableEnd.toFixed(0)} s of ${duration.toFixed(0)} s), so seeking will not work — every jump would restart at 0:00. Serve the file from a server that supports Range requests (for example \`npx http-server --cors\`; python3 -m http.server does not).`,
          });
          return;
        }
        done(null);
      },
      { once: true },
    );
    video.addEventListener(
      "error",
      () => {
        const code = video.error?.code;
        if (corsBlocked) {
          // Without CORS the status was unreadable: a missing file and an unsupported format look alike here.
          done({
            kind: "cors",
            message: `CORS blocked, and the media did not load: ${new URL(url).host} does not let this page check the file (no Access-Control-Allow-Origin), and the browser could not play it. The link may be wrong (not found) or the format unsupported.`,
          });
        } else if (code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || code === MediaError.MEDIA_ERR_DECODE) {
          done({
            kind: "unplayable",
            message: "Not playable in this browser: the file's format or codec is not supported here. Try an MP4 (H.264/AAC), WebM or HLS link, or watch it with mpv (opensyncparty mpv).",
          });
        } else {
          done({ kind: "http_error", message: `The media could not be loaded (${video.error?.message || "network error"}).` });
        }
      },
      { once: true },
    );
    video.src = url;
  });
}
