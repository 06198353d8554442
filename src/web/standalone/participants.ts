/** The participant list: host badge, connection, sync offset and RTT, and "make host" for the host. */
import type { Participant } from "../../protocol/index.js";
import { button, h, replace } from "./dom.js";

/** Within this many ms of the room's timeline a viewer counts as "in sync". */
export const IN_SYNC_MS = 40;

export function syncText(p: Participant): string {
  if (!p.connected) return "reconnecting…";
  if (!p.ready) return "buffering";
  if (!p.sync) return "measuring…";
  const ms = Math.round(p.sync.offset_ms);
  if (Math.abs(ms) < IN_SYNC_MS) return "in sync";
  return ms < 0 ? `${-ms} ms behind` : `${ms} ms ahead`;
}

export interface ParticipantsContext {
  selfId: string;
  isHost: boolean;
  transferHost(id: string): void;
}

export class ParticipantList {
  readonly el = h("ul", { class: "participants", "aria-label": "Participants" });

  render(participants: readonly Participant[], ctx: ParticipantsContext): void {
    replace(this.el, ...participants.map((p) => this.row(p, ctx)));
  }

  private row(p: Participant, ctx: ParticipantsContext): HTMLLIElement {
    const status = syncText(p);
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
