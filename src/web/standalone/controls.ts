/**
 * Playback buttons (for whoever may control), host settings (shared control,
 * buffering policy) and this viewer's own sync knobs (offset, correction).
 */
import type { PartyClient, SyncEngine } from "../../client/index.js";
import type { BufferingPolicy } from "../../protocol/index.js";
import { button, field, h } from "./dom.js";

export class Controls {
  readonly el: HTMLElement;
  private readonly playback: HTMLElement;
  private readonly hostBox: HTMLElement;
  private readonly shared = h("input", { type: "checkbox", id: "shared-control" });
  private readonly policy = h("select", { id: "buffering-policy" });
  private readonly offset = h("input", { type: "range", id: "extra-offset", min: -500, max: 500, step: 10, value: 0 });
  private readonly offsetOut = h("output", { for: "extra-offset" }, "0 ms");
  private readonly correction = h("input", { type: "checkbox", id: "correction", checked: true });
  private readonly speed = h("select", { id: "speed", "aria-label": "Speed" });
  private readonly speedNotice = h("output", { id: "speed-notice", for: "speed" });
  private readonly actionNotice = h("output", { id: "action-notice" });
  private readonly noticeTimers = new Map<HTMLElement, ReturnType<typeof setTimeout>>();
  private engine: SyncEngine | null = null;

  /** @param onError shows a failed action: `what` names it ("Pause"). */
  constructor(private readonly client: PartyClient, onError: (e: unknown, what?: string) => void) {
    const act = (fn: () => Promise<unknown>, what?: string) => () => void fn().catch((e: unknown) => onError(e, what));
    const pos = () => client.expectedPosition();
    this.playback = h(
      "div",
      { class: "row playback", role: "group", "aria-label": "Playback" },
      button("Play", act(() => client.play(), "Play"), { id: "btn-play" }),
      button("Pause", act(() => client.pause(), "Pause"), { id: "btn-pause" }),
      button("−10 s", act(() => client.seek(Math.max(0, pos() - 10)), "Back 10 s"), { "aria-label": "Back 10 seconds" }),
      button("+10 s", act(() => client.seek(pos() + 10), "Forward 10 s"), { "aria-label": "Forward 10 seconds" }),
      this.speed,
      this.speedNotice,
      this.actionNotice,
    );
    // The room's speed (issue 9): a controller's choice is everyone's.
    for (const rate of [0.5, 0.75, 1, 1.25, 1.5, 2]) this.speed.appendChild(h("option", { value: rate }, `${rate}×`));
    this.speed.addEventListener("change", act(() => client.setRate(Number(this.speed.value)), "The speed change"));
    client.on("notice", (n) => {
      if (n.kind === "rate_reverted") {
        this.flash(this.speedNotice, `Speed stays at ${n.roomRate}×: only the host can change the room's speed.`);
      } else {
        this.flash(this.actionNotice, actionRevertedText(n.action, n.roomPlaying));
      }
    });
    for (const [value, label] of [["wait", "Wait for buffering viewers"], ["ignore", "Keep playing"]] as const) {
      this.policy.appendChild(h("option", { value }, label));
    }
    this.shared.addEventListener("change", act(() => client.updateSettings({ shared_control: this.shared.checked })));
    this.policy.addEventListener(
      "change",
      act(() => client.updateSettings({ buffering_policy: this.policy.value as BufferingPolicy })),
    );
    this.hostBox = h(
      "fieldset",
      { class: "host-controls" },
      h("legend", {}, "Host settings"),
      h("label", { class: "check" }, this.shared, " Everyone may play, pause and seek"),
      field("When someone buffers", this.policy),
    );
    this.offset.addEventListener("input", () => {
      const ms = Number(this.offset.value);
      this.offsetOut.textContent = `${ms > 0 ? "+" : ""}${ms} ms`;
      this.engine?.setExtraOffset(ms);
    });
    this.correction.addEventListener("change", () => this.engine?.setCorrection(this.correction.checked));
    const mine = h(
      "fieldset",
      { class: "viewer-controls" },
      h("legend", {}, "My sync"),
      h("label", { for: "extra-offset" }, "Offset (audio/video delay) "),
      this.offset,
      this.offsetOut,
      h("label", { class: "check" }, this.correction, " Keep me in sync automatically"),
    );
    this.el = h("section", { class: "card controls", "aria-label": "Controls" }, this.playback, this.hostBox, mine);
  }

  /** Shows `text` in `out` for 6 s. */
  private flash(out: HTMLElement, text: string): void {
    out.textContent = text;
    clearTimeout(this.noticeTimers.get(out));
    this.noticeTimers.set(
      out,
      setTimeout(() => {
        out.textContent = "";
      }, 6000),
    );
  }

  setEngine(engine: SyncEngine | null): void {
    this.engine = engine;
    engine?.setExtraOffset(Number(this.offset.value));
    engine?.setCorrection(this.correction.checked);
  }

  render(): void {
    const room = this.client.room;
    if (!room) return;
    for (const b of this.playback.querySelectorAll("button")) b.disabled = !this.client.canControl;
    this.speed.disabled = !this.client.canControl;
    this.speed.value = String(room.timeline.rate);
    this.hostBox.hidden = !this.client.isHost;
    this.shared.checked = room.settings.shared_control;
    this.policy.value = room.settings.buffering_policy;
  }
}

/** Why a viewer's play, pause or jump in the player was undone. */
export function actionRevertedText(action: "play" | "pause" | "seek", roomPlaying: boolean): string {
  const where = roomPlaying ? "the room keeps playing" : "the room stays paused";
  if (action === "seek") return "Only the host can jump here: you are back where everyone is.";
  return `Only the host can ${action} here: ${where}.`;
}
