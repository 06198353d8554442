/**
 * The room's activity feed: one short line per thing that happened (who
 * joined, who paused at which time, jumped where, changed speed, host
 * changes, buffering waits, the end of the media, and why an action of
 * ours was refused), each with its clock time. The lines come from the
 * client SDK's watchActivity, the same ones mpv shows on its OSD. Also the
 * "the video ended" box with its "Play again" button.
 */
import { type ActivityEntry, type PartyClient, watchActivity } from "../../client/index.js";
import { button, h } from "./dom.js";

/** Lines kept in the feed; older ones scroll away. */
const MAX_LINES = 200;

/** `21:04` in the viewer's locale, from a server timestamp (ms since the epoch). */
export function clockTime(serverTs: number): HTMLTimeElement {
  const d = new Date(serverTs);
  const text = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return h("time", { class: "clock", datetime: d.toISOString(), title: d.toLocaleString() }, text);
}

export class ActivityFeed {
  readonly el: HTMLElement;
  private readonly log = h("ol", { class: "activity-log", "aria-live": "polite", "aria-label": "Room activity" });
  private readonly stop: () => void;
  private readonly lines: ActivityEntry[] = [];

  /** @param earlier lines this viewer was shown before a reload (or a reopened tab), oldest first */
  constructor(client: PartyClient, earlier: readonly ActivityEntry[] = []) {
    this.el = h("section", { class: "card activity", "aria-labelledby": "activity-title" }, h("h2", { id: "activity-title" }, "Activity"), this.log);
    for (const e of earlier) this.add(e);
    this.stop = watchActivity(client, (e) => this.add(e));
  }

  /** The lines shown, oldest first (at most MAX_LINES). */
  get entries(): readonly ActivityEntry[] {
    return this.lines;
  }

  add(e: ActivityEntry): void {
    this.lines.push(e);
    if (this.lines.length > MAX_LINES) this.lines.shift();
    const stick = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 4;
    const line = h("li", { class: `activity-line activity-${e.kind}`, "data-kind": e.kind }, clockTime(e.at), " ", h("span", { class: "activity-text" }, e.text));
    this.log.appendChild(line);
    while (this.log.children.length > MAX_LINES) this.log.firstElementChild?.remove();
    if (stick) this.log.scrollTop = this.log.scrollHeight;
  }

  destroy(): void {
    this.stop();
  }
}

/** Shown under the video while the room stands at the end of its media. */
export class EndedBox {
  readonly el: HTMLElement;
  private readonly again: HTMLButtonElement;
  private readonly note = h("span", { class: "muted" });

  constructor(
    private readonly client: PartyClient,
    onError: (e: unknown) => void,
  ) {
    this.again = button("Play again", () => void client.play(0).catch(onError), { id: "btn-play-again", class: "primary" });
    this.el = h("div", { class: "ended row", role: "status", hidden: true }, h("strong", {}, "The video ended."), this.again, this.note);
  }

  render(): void {
    const ended = this.client.atEnd();
    this.el.hidden = !ended;
    this.again.disabled = !this.client.canControl;
    this.note.textContent = this.client.canControl ? "" : "Only the host can start it again.";
  }
}
