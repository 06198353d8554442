/**
 * Which item this page last asked Jellyfin to stream, from the page's own
 * resource timing (no request is intercepted or repeated): Jellyfin Web asks
 * `POST /Items/{id}/PlaybackInfo` before it sets a stream, and hls.js (used
 * for transcodes; the <video> then shows only a `blob:` URL) fetches
 * `/videos/{id}/master.m3u8` and `main.m3u8`. Contract read from
 * jellyfin-web 10.9–10.11 (see docs/jellyfin.md).
 */
import { itemIdFromUrl } from "./jellyfin-env.js";

export interface StreamRequest {
  itemId: string;
  /** A playlist of the stream itself (stronger than PlaybackInfo, which also precedes a stream that never starts). */
  playlist: boolean;
  /** When the request started, `performance.now()` ms. */
  atMs: number;
}

const PLAYLIST_RE = /\/videos\/[0-9a-f]{32}\/(?:master|main|live)\.m3u8/i;
const PLAYBACK_INFO_RE = /\/items\/[0-9a-f]{32}\/playbackinfo/i;

export class StreamRequests {
  private readonly seen: StreamRequest[] = [];
  private readonly observer: PerformanceObserver | null = null;

  /** `onRequest` runs for each new stream request seen. */
  constructor(onRequest: () => void) {
    if (typeof PerformanceObserver === "undefined") return;
    this.observer = new PerformanceObserver((list) => {
      let added = false;
      for (const e of list.getEntries()) added = this.add(e.name, e.startTime) || added;
      if (added) onRequest();
    });
    try {
      this.observer.observe({ type: "resource", buffered: true });
    } catch {
      this.observer = null;
    }
  }

  private add(url: string, atMs: number): boolean {
    const playlist = PLAYLIST_RE.test(url);
    if (!playlist && !PLAYBACK_INFO_RE.test(url)) return false;
    const itemId = itemIdFromUrl(url);
    if (!itemId) return false;
    this.seen.push({ itemId, playlist, atMs });
    if (this.seen.length > 50) this.seen.splice(0, this.seen.length - 50);
    return true;
  }

  /** The item of the newest request started at or after `sinceMs` (only playlists when `playlistOnly`), or null. */
  newest(sinceMs: number, playlistOnly = false): string | null {
    let best: StreamRequest | null = null;
    for (const r of this.seen) {
      if (r.atMs < sinceMs || (playlistOnly && !r.playlist)) continue;
      if (!best || r.atMs >= best.atMs) best = r;
    }
    return best?.itemId ?? null;
  }

  stop(): void {
    this.observer?.disconnect();
  }
}
