/**
 * Whether the viewer's next play or pause was made with a play/pause toggle
 * key (Space, `k`, Enter on the video, the keyboard's play/pause key) rather
 * than a control they looked at (a play button, the seek bar). A toggle key
 * flips what the viewer believes the player does, which differs from what
 * it shows while the sync engine holds it still for the viewer's own play
 * (viewer-commands.ts); a button shows its state and means what it says.
 *
 * Keys typed into a form control (a chat box, a button, a menu) are not
 * the player's. The mark is taken by the next play or pause event.
 */
const TOGGLE_KEYS = new Set([" ", "k", "K", "Enter", "MediaPlayPause"]);

function typedIntoControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLMediaElement) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(target.tagName);
}

export class ToggleKeys {
  private pressed = false;

  /** Listens on `media`'s document until `signal` aborts. */
  constructor(media: HTMLMediaElement, signal: AbortSignal) {
    media.ownerDocument.addEventListener(
      "keydown",
      (e) => {
        if (TOGGLE_KEYS.has(e.key) && !e.repeat && !typedIntoControl(e.target)) this.pressed = true;
      },
      { capture: true, signal },
    );
  }

  /** A play or pause event: whether a toggle key made it (the mark is cleared). */
  take(): boolean {
    const was = this.pressed;
    this.pressed = false;
    return was;
  }
}
