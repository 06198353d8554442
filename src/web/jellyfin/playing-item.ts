/**
 * Which Jellyfin item the player element is playing, whatever the order in
 * which Jellyfin Web inserts `<video class="htmlvideoplayer">`, sets its
 * stream and reports the session. Jellyfin Web 10.11 inserts the element
 * with no source, asks `POST /Items/{id}/PlaybackInfo`, sets the stream
 * ~0.4 s later and reports `POST /Sessions/Playing` only once it plays; it
 * reuses the element for the next item and may replace it.
 *
 * Every change of element or of its source (`src` attribute, `loadstart`,
 * `emptied`, …) starts a new resolution. Evidence, strongest first:
 *  1. the stream URL (`/Videos/{id}/stream…`, `/videos/{id}/master.m3u8`);
 *  2. this page's stream requests (hls.js `blob:` sources): StreamRequests;
 *  3. this device's session (`GET /Sessions?deviceId=…`), asked when the
 *     element plays and every `pollMs` until resolved. An answer equal to
 *     the previous source's item counts only once the new source has played
 *     for `staleSessionMs` (the server may not have heard of the change yet).
 * Not resolved within `resolveTimeoutMs`: state `unresolved` with the
 * reason; polling goes on (every 3 × pollMs) until it resolves.
 */
import { type ApiClientLike, currentVideo, itemIdFromUrl, sessionItemId } from "./jellyfin-env.js";
import { StreamRequests } from "./stream-requests.js";

export type ItemResolution =
  | { state: "none" }
  | { state: "resolving" }
  | { state: "resolved"; itemId: string; via: "stream URL" | "stream request" | "Jellyfin session" }
  | { state: "unresolved"; reason: string };

export interface PlayingItemOptions {
  /** After this long without an answer the state becomes `unresolved`, ms. */
  resolveTimeoutMs?: number;
  /** Session polling interval while resolving, ms. */
  pollMs?: number;
  /** How long a new source must have played before a session answer naming the previous item counts, ms. */
  staleSessionMs?: number;
}

const MEDIA_EVENTS = ["loadstart", "loadedmetadata", "playing", "emptied"] as const;

export class PlayingItem {
  video: HTMLVideoElement | null = null;
  resolution: ItemResolution = { state: "none" };
  private source = "";
  private generation = 0;
  private startedAtMs = 0;
  private playingSinceMs: number | null = null;
  private previousItem: string | null = null;
  private sessionChecks = 0;
  private lastSessionError: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listeners: AbortController | null = null;
  private readonly srcObserver = new MutationObserver(() => this.check());
  private readonly requests = new StreamRequests(() => this.tryLocal());
  private readonly o: Required<PlayingItemOptions>;

  constructor(
    private readonly api: ApiClientLike,
    private readonly onChange: () => void,
    options: PlayingItemOptions = {},
  ) {
    this.o = { resolveTimeoutMs: 5000, pollMs: 1000, staleSessionMs: 1500, ...options };
  }

  /** Looks again at the DOM (call on any DOM change): picks up a new or replaced element and source changes. */
  check(): void {
    const video = currentVideo();
    const switched = video !== this.video;
    if (switched) this.switchElement(video);
    const source = video ? (video.getAttribute("src") ?? "") || video.currentSrc : "";
    if (source === this.source) {
      if (switched) this.onChange();
      return;
    }
    this.source = source;
    this.newSource();
  }

  get itemId(): string | null {
    return this.resolution.state === "resolved" ? this.resolution.itemId : null;
  }

  private switchElement(video: HTMLVideoElement | null): void {
    this.listeners?.abort();
    this.srcObserver.disconnect();
    this.video = video;
    this.playingSinceMs = null;
    if (!video) return;
    this.listeners = new AbortController();
    for (const type of MEDIA_EVENTS) {
      video.addEventListener(type, () => this.onMediaEvent(type), { signal: this.listeners.signal });
    }
    this.srcObserver.observe(video, { attributes: true, attributeFilter: ["src"], childList: true });
    if (!video.paused && video.readyState >= 3) this.playingSinceMs = performance.now();
  }

  private onMediaEvent(type: (typeof MEDIA_EVENTS)[number]): void {
    if (type === "playing") this.playingSinceMs ??= performance.now();
    if (type === "emptied" || type === "loadstart") this.playingSinceMs = null;
    this.check();
    if (type === "loadedmetadata") this.tryLocal();
    if (type === "playing" && this.resolution.state !== "resolved") void this.askSession(this.generation);
  }

  private newSource(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.previousItem = this.itemId ?? this.previousItem;
    this.startedAtMs = performance.now();
    this.sessionChecks = 0;
    this.lastSessionError = null;
    if (!this.source) {
      this.set({ state: "none" });
      return;
    }
    this.set({ state: "resolving" });
    if (this.tryLocal()) return;
    this.schedulePoll(this.generation, 0);
  }

  /** The URL and this page's own stream requests: no round trip. True when resolved. */
  private tryLocal(): boolean {
    if (!this.source || this.resolution.state === "resolved") return this.resolution.state === "resolved";
    const fromUrl = itemIdFromUrl(this.source);
    if (fromUrl) return this.resolve(fromUrl, "stream URL");
    const fromRequest =
      this.requests.newest(this.startedAtMs - 2000, true) ?? this.requests.newest(this.startedAtMs - 15_000);
    return fromRequest ? this.resolve(fromRequest, "stream request") : false;
  }

  private schedulePoll(gen: number, delayMs: number): void {
    this.timer = setTimeout(() => void this.askSession(gen), delayMs);
  }

  private async askSession(gen: number): Promise<void> {
    if (gen !== this.generation || this.resolution.state === "resolved") return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sessionChecks++;
    let id: string | null = null;
    try {
      id = await sessionItemId(this.api);
      this.lastSessionError = null;
    } catch (e) {
      this.lastSessionError = e instanceof Error ? e.message : String(e);
    }
    if (gen !== this.generation || this.tryLocal()) return;
    const playedMs = this.playingSinceMs === null ? 0 : performance.now() - this.playingSinceMs;
    if (id && (id !== this.previousItem || playedMs >= this.o.staleSessionMs)) {
      this.resolve(id, "Jellyfin session");
      return;
    }
    const elapsedMs = performance.now() - this.startedAtMs;
    if (elapsedMs >= this.o.resolveTimeoutMs && this.resolution.state === "resolving") {
      this.set({ state: "unresolved", reason: this.unresolvedReason(elapsedMs) });
    }
    if (this.timer === null) this.schedulePoll(gen, elapsedMs >= this.o.resolveTimeoutMs ? this.o.pollMs * 3 : this.o.pollMs);
  }

  private unresolvedReason(elapsedMs: number): string {
    const src = this.source.startsWith("blob:") ? "a blob: stream (hls.js)" : "a stream address";
    const session = this.lastSessionError
      ? `asking Jellyfin for this device's session failed (${this.lastSessionError})`
      : `Jellyfin's session for this device reported nothing playing (${this.sessionChecks} checks)`;
    return `After ${(elapsedMs / 1000).toFixed(0)} s it is still unknown which item this player plays: it shows ${src} without an item id, no stream request named one, and ${session}. Still trying.`;
  }

  private resolve(itemId: string, via: "stream URL" | "stream request" | "Jellyfin session"): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.set({ state: "resolved", itemId, via });
    return true;
  }

  private set(r: ItemResolution): void {
    this.resolution = r;
    this.onChange();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners?.abort();
    this.srcObserver.disconnect();
    this.requests.stop();
  }
}
