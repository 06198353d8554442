/**
 * The "Click to start watching" prompt over the video, for browsers that
 * refuse playback without a user gesture (autoplay policy). One click starts
 * the player from inside the gesture; "Start muted" does the same with the
 * sound off and leaves an "Unmute" button.
 */
import { button, h } from "./dom.js";

export class AutoplayPrompt {
  readonly el: HTMLElement;
  readonly unmute: HTMLButtonElement;
  private shown = false;

  constructor(
    private readonly video: HTMLVideoElement,
    /** Called inside the click's user gesture: start the player now. */
    private readonly start: () => void,
    private readonly onChange: (needsClick: boolean) => void,
  ) {
    const go = button("Click to start watching", () => this.click(false), { class: "primary big", id: "btn-start-watching" });
    const muted = button("Start muted", () => this.click(true), { class: "small" });
    this.el = h(
      "div",
      { class: "autoplay-prompt", hidden: true, role: "dialog", "aria-label": "Playback needs a click" },
      h("p", {}, "Your browser needs a click before it plays video with sound."),
      go,
      muted,
    );
    this.unmute = button("Unmute", () => {
      this.video.muted = false;
      this.unmute.hidden = true;
    }, { class: "unmute", hidden: true, id: "btn-unmute" });
  }

  get visible(): boolean {
    return this.shown;
  }

  /** The browser refused play(): show the prompt and tell the room this member needs a click. */
  show(): void {
    if (this.shown) return;
    this.shown = true;
    this.el.hidden = false;
    this.onChange(true);
  }

  hide(): void {
    if (!this.shown) return;
    this.shown = false;
    this.el.hidden = true;
    this.onChange(false);
  }

  private click(muted: boolean): void {
    if (muted) {
      this.video.muted = true;
      this.unmute.hidden = false;
    }
    this.start();
    this.hide();
  }
}
