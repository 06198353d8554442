/**
 * The Watch Party panel in a shadow root (Jellyfin's CSS cannot reach it,
 * ours cannot leak): rooms, create, join, participants with sync status,
 * chat. It renders a snapshot and reports intents; it holds no party state.
 */
import { describeSync } from "../../client/sync-status.js";
import type { ChatEntry, Participant, RoomSummary } from "../../protocol/index.js";
import { PANEL_CSS } from "./panel-style.js";
import type { PlayerLine } from "./panel-view.js";

export interface PanelView {
  status: string;
  error: string | null;
  rooms: RoomSummary[];
  room: {
    name: string;
    mediaTitle: string | null;
    participants: Participant[];
    chat: ChatEntry[];
    selfId: string;
    waitingFor: string[];
    /** Opens Jellyfin Web at the room's item and joins the room after login. */
    invite: string;
  } | null;
  /** What this browser's player is doing, as far as the party is concerned. */
  player: PlayerLine;
  defaultRoomName: string;
  canCreate: boolean;
}

export interface PanelIntents {
  create(name: string): void;
  join(roomId: string): void;
  leave(): void;
  chat(text: string): void;
}

type Child = Node | string;
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function syncText(p: Participant, waitingFor: readonly string[]): string {
  return `${p.is_host ? "host · " : ""}${describeSync(p, waitingFor)}`;
}

export class Panel {
  readonly host: HTMLElement;
  private readonly box: HTMLElement;

  constructor(private readonly intents: PanelIntents) {
    this.host = el("div", { id: "opensyncparty-panel" });
    const root = this.host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = PANEL_CSS;
    this.box = el("div", { class: "panel", part: "panel" });
    this.box.hidden = true;
    root.append(style, this.box);
    document.body.append(this.host);
  }

  get open(): boolean {
    return !this.box.hidden;
  }

  toggle(force?: boolean): void {
    this.box.hidden = !(force ?? this.box.hidden);
  }

  private form(placeholder: string, value: string, label: string, submit: (v: string) => void): HTMLElement {
    const input = el("input", { placeholder, "aria-label": placeholder }) as HTMLInputElement;
    input.value = value;
    const f = el("form", {}, input, el("button", { type: "submit" }, label));
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (v) submit(v);
      if (label === "Send") input.value = "";
    });
    return f;
  }

  private inviteRow(link: string): HTMLElement {
    const input = el("input", { readonly: "", "aria-label": "Invite link", class: "invite-link" }) as HTMLInputElement;
    input.value = link;
    const copy = el("button", { type: "button" }, "Copy");
    copy.addEventListener("click", () => {
      input.select();
      void navigator.clipboard?.writeText(link).then(
        () => (copy.textContent = "Copied"),
        () => (copy.textContent = "Select and copy"),
      );
    });
    return el("div", { class: "invite" }, el("label", {}, "Invite link"), input, copy);
  }

  render(v: PanelView): void {
    const close = el("button", { class: "ghost", "aria-label": "Close" }, "✕");
    close.addEventListener("click", () => this.toggle(false));
    const parts: Child[] = [el("h2", {}, "Watch Party", close), el("div", { class: "muted status" }, v.status)];
    if (v.error) parts.push(el("div", { class: "error", role: "alert" }, v.error));
    parts.push(el("div", { class: v.player.problem ? "error player-line" : "muted player-line", role: "status" }, v.player.text));
    if (v.room) {
      const r = v.room;
      const leave = el("button", { class: "ghost leave" }, "Leave");
      leave.addEventListener("click", () => this.intents.leave());
      parts.push(el("h3", {}, r.name), el("div", { class: "muted media-title" }, r.mediaTitle ?? ""));
      parts.push(this.inviteRow(r.invite));
      parts.push(el("h3", {}, `Participants (${r.participants.length})`));
      const list = r.participants.map((p) => {
        const s = syncText(p, r.waitingFor);
        const cls = /buffering|reconnecting/.test(s) ? "sync off" : "sync";
        return el("li", { class: "participant" }, `${p.name}${p.id === r.selfId ? " (you)" : ""}`, el("span", { class: cls }, s));
      });
      parts.push(el("ul", {}, ...list), el("h3", {}, "Chat"));
      const lines = r.chat.map((c) => el("p", {}, el("b", {}, `${c.name}: `), c.text));
      const log = el("div", { class: "chat" }, ...lines);
      parts.push(log, this.form("Say something", "", "Send", (t) => this.intents.chat(t)), leave);
      queueMicrotask(() => (log.scrollTop = log.scrollHeight));
    } else {
      parts.push(el("h3", {}, "Rooms"));
      const rooms = v.rooms.map((r) => {
        const join = el("button", { class: "join", "data-room": r.id }, "Join");
        join.addEventListener("click", () => this.intents.join(r.id));
        return el("li", { class: "room" }, `${r.name} (${r.count})${r.media_title ? ` · ${r.media_title}` : ""}`, join);
      });
      parts.push(rooms.length ? el("ul", {}, ...rooms) : el("div", { class: "muted" }, "No parties yet."));
      if (v.canCreate) {
        parts.push(el("h3", {}, "New party"), this.form("Party name", v.defaultRoomName, "Create", (n) => this.intents.create(n)));
      }
    }
    // Keep what the viewer is typing across re-renders.
    const typed = new Map<string, string>();
    for (const i of this.box.querySelectorAll("input")) if (!i.readOnly) typed.set(i.placeholder, i.value);
    const focused = (this.host.shadowRoot?.activeElement as HTMLInputElement | null)?.placeholder;
    this.box.replaceChildren(...parts);
    for (const i of this.box.querySelectorAll("input")) {
      const old = typed.get(i.placeholder);
      if (old !== undefined) i.value = old;
      if (i.placeholder === focused) i.focus();
    }
  }
}
