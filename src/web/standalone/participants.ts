/** The participant list: host badge, connection, sync offset and RTT, and "make host" for the host. */
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

export class ParticipantList {
  readonly el = h("ul", { class: "participants", "aria-label": "Participants" });

  render(participants: readonly Participant[], ctx: ParticipantsContext): void {
    replace(this.el, ...participants.map((p) => this.row(p, ctx)));
  }

  private row(p: Participant, ctx: ParticipantsContext): HTMLLIElement {
    const status = describeSync(p, ctx.waitingFor);
    const inSync = status === "in sync";
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
        { class: `sync ${inSync ? "ok" : "off"}` },
        h("span", { class: "sync-text" }, status),
        p.sync && h("span", { class: "muted rtt" }, ` · RTT ${Math.round(p.sync.rtt_ms)} ms`),
      ),
      ctx.isHost &&
        !p.is_host &&
        p.connected &&
        button("Make host", () => ctx.transferHost(p.id), { class: "small", "aria-label": `Make ${p.name} the host` }),
    );
  }
}
