/**
 * The participant list: host badge, connection, sync status and RTT, and
 * "make host" for the host. Every row uses describeSync's words; my own row
 * shows the same word as the line under my video (RoomView sets it).
 */
import { describeSync } from "../../client/sync-status.js";
import type { Participant } from "../../protocol/index.js";
import { button, h, replace } from "./dom.js";

export interface ParticipantsContext {
  selfId: string;
  isHost: boolean;
  /** Members the room is pausing for while they buffer. */
  waitingFor: readonly string[];
  transferHost(id: string): void;
}

const GOOD_WORDS = new Set(["in sync"]);

export class ParticipantList {
  readonly el = h("ul", { class: "participants", "aria-label": "Participants" });

  render(participants: readonly Participant[], ctx: ParticipantsContext): void {
    replace(this.el, ...participants.map((p) => this.row(p, ctx)));
  }

  /** Shows `word` as the status of member `id` (my own row, from my page's own view). */
  setWord(id: string, word: string): void {
    const row = this.el.querySelector<HTMLElement>(`.participant[data-id="${CSS.escape(id)}"]`);
    const text = row?.querySelector(".sync-text");
    if (!row || !text) return;
    text.textContent = word;
    text.parentElement?.classList.toggle("ok", GOOD_WORDS.has(word));
    text.parentElement?.classList.toggle("off", !GOOD_WORDS.has(word));
  }

  private row(p: Participant, ctx: ParticipantsContext): HTMLLIElement {
    const status = describeSync(p, ctx.waitingFor);
    return h(
      "li",
      { class: "participant", "data-id": p.id },
      h(
        "span",
        { class: "who" },
        h("span", { class: "name" }, p.name),
        p.id === ctx.selfId && h("span", { class: "muted" }, " (you)"),
        p.is_host && h("span", { class: "badge", title: "Host" }, "host"),
      ),
      h(
        "span",
        { class: `sync ${GOOD_WORDS.has(status) ? "ok" : "off"}` },
        h("span", { class: "sync-text" }, status),
        p.sync && p.connected && h("span", { class: "muted rtt" }, ` · RTT ${Math.round(p.sync.rtt_ms)} ms`),
      ),
      ctx.isHost &&
        !p.is_host &&
        p.connected &&
        button("Make host", () => ctx.transferHost(p.id), { class: "small", "aria-label": `Make ${p.name} the host` }),
    );
  }
}
