/**
 * What the adapter knows the media element shows: paused or not, the
 * latest seek target, the rate — as of its own requests and the media
 * events it has handled. A difference from what the element shows now is a
 * change someone else (the viewer, the page's controls, Jellyfin Web) made
 * whose media event is still queued.
 *
 * Why it matters: own changes are told from the viewer's by the order of
 * their events (./own-changes.ts). When the engine acts on what the element
 * already shows before the viewer's event arrives — a tick that sees the
 * position of a viewer's seek and "corrects" it — the viewer's event meets
 * the engine's expectation: the viewer's seek was taken for the engine's and
 * the engine's reported as the viewer's (seen as a paused seek lost in the
 * Jellyfin orders test). Noticing the change first keeps both right.
 */
import { hasMetadata } from "./media-state.js";

/** A change the element shows that no event has told yet, with what it changed to. */
export type ShownChange =
  | { kind: "pause" | "play" | "seek"; position: number }
  | { kind: "rate"; rate: number };

/** currentTime reads back a seek target rounded to the media's time base (µs in Chromium). */
const SEEK_TARGET_TOLERANCE_S = 0.001;

export class ShownState {
  private paused: boolean;
  private rate: number;
  /** The target of the latest seek we know of (currentTime reads it while the element seeks). */
  private seekTarget: number | null = null;

  constructor(private readonly media: HTMLMediaElement) {
    this.paused = media.paused;
    this.rate = media.playbackRate;
  }

  /** Right after an own play()/pause() or a play/pause event: the element's paused state is known. */
  knowPaused(): void {
    this.paused = this.media.paused;
  }

  /** Right after an own rate change or a ratechange event. */
  knowRate(): void {
    this.rate = this.media.playbackRate;
  }

  /** Right after an own seek request or a seeking event (currentTime is the latest target while seeking). */
  knowSeekTarget(): void {
    this.seekTarget = this.media.currentTime;
  }

  /** The element (re)started loading: the load algorithm resets its state without events. */
  reset(): void {
    this.knowPaused();
    this.knowRate();
    this.seekTarget = null;
  }

  /**
   * The changes the element shows beyond what is known, each taken as known
   * from now on. None while the element has no metadata: loading resets
   * paused, rate and position without telling anyone.
   */
  takeUnknown(): ShownChange[] {
    const m = this.media;
    if (!hasMetadata(m)) return [];
    const out: ShownChange[] = [];
    // Reaching the end pauses the element; its `pause` event says so (`ended`), not a person.
    if (m.paused !== this.paused && !m.ended) out.push({ kind: m.paused ? "pause" : "play", position: m.currentTime });
    const target = m.currentTime;
    // A seek of a playing element is left to its event: a seek-bar click pauses, seeks and plays in one task,
    // and its pause and play, netted out here, would meet an own pause made on the noticed seek (seekPendingWhilePlaying).
    const seekUnknown = this.seekUnknown();
    if (seekUnknown && m.paused) out.push({ kind: "seek", position: target });
    if (m.playbackRate !== this.rate) out.push({ kind: "rate", rate: m.playbackRate });
    this.paused = m.paused;
    this.rate = m.playbackRate;
    if (m.seeking && (m.paused || !seekUnknown)) this.seekTarget = target;
    return out;
  }

  /** A viewer's seek of a playing element whose `seeking` event is still queued: wait for it before acting. */
  seekPendingWhilePlaying(): boolean {
    return hasMetadata(this.media) && !this.media.paused && this.seekUnknown();
  }

  private seekUnknown(): boolean {
    const m = this.media;
    return m.seeking && (this.seekTarget === null || Math.abs(m.currentTime - this.seekTarget) > SEEK_TARGET_TOLERANCE_S);
  }
}
