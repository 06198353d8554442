/**
 * Whether Jellyfin Web has finished starting the element's current source,
 * so that what the element does from then on is the viewer's (or the
 * party's), not Jellyfin's own start.
 *
 * Jellyfin Web starts every item itself: `autoplay` plus `play()`
 * (htmlVideoPlayer setCurrentSrc), hls.js's seek to its `startPosition`
 * after the first fragment, and on the element's first `playing` a seek to
 * the start position when it is 1 s or more away (htmlMediaHelper
 * seekOnPlaybackStart). The start position is the user's resume point
 * whenever the item has one: the details page's Play button resumes
 * (itemDetails getPlayOptions). Bound to the room before that, the party
 * took Jellyfin's start for the viewer's: with shared control the room
 * jumped to the joiner's resume point for everyone, without it the joiner
 * was told only the host may seek.
 *
 * Started: the element has fired `playing` and is playing and not seeking,
 * a task after that event (or after the `seeked` of a seek made since) so
 * Jellyfin's own `playing` handler has run and the events of its start are
 * handled — autoplay makes `paused` false before its `play` event is
 * dispatched, and a player bound in between took that event for the
 * viewer's play; or it can play but stays paused for `pausedStartMs`
 * (autoplay refused, or Jellyfin started it paused): nothing more of
 * Jellyfin's start is coming. A new source (`loadstart`, `emptied`) starts
 * over.
 */
export interface PlayerStartOptions {
  /** How long an element that can play may stay paused before its start counts as over, ms. */
  pausedStartMs?: number;
}

export class PlayerStart {
  started: boolean;
  /** The current source has fired `playing`. */
  private played: boolean;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly controller = new AbortController();
  private readonly pausedStartMs: number;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly onStarted: () => void,
    options: PlayerStartOptions = {},
  ) {
    this.pausedStartMs = options.pausedStartMs ?? 2000;
    // An element already playing (the script came late) has started.
    this.started = !media.paused && media.readyState >= 3 && !media.seeking;
    this.played = this.started;
    const on = (type: string, fn: () => void) => media.addEventListener(type, fn, { signal: this.controller.signal });
    on("loadstart", () => this.restart());
    on("emptied", () => this.restart());
    on("playing", () => {
      this.played = true;
      setTimeout(() => this.settle(), 0);
    });
    on("seeked", () => setTimeout(() => this.settle(), 0));
    on("canplay", () => this.waitPaused());
    on("canplaythrough", () => this.waitPaused());
    if (!this.started && media.readyState >= 3) this.waitPaused();
  }

  stop(): void {
    this.controller.abort();
    this.clearTimer();
  }

  private restart(): void {
    this.clearTimer();
    this.started = false;
    this.played = false;
  }

  /** A task after `playing` or `seeked`: started once it has fired `playing`, and plays without seeking. */
  private settle(): void {
    if (this.started || this.controller.signal.aborted) return;
    if (!this.played || this.media.paused || this.media.seeking) return;
    this.markStarted();
  }

  private waitPaused(): void {
    if (this.started || this.timer || !this.media.paused) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.started && this.media.paused && !this.media.seeking) this.markStarted();
    }, this.pausedStartMs);
  }

  private markStarted(): void {
    this.clearTimer();
    this.started = true;
    this.onStarted();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
