/** The room chat: a log of lines (text only) and a send form. */
import { newChatNonce } from "../../client/party/chat-nonce.js";
import type { ChatEntry } from "../../protocol/index.js";
import { clockTime } from "./activity.js";
import { button, h, replace } from "./dom.js";
import { failureReason } from "./failures.js";

export class ChatPanel {
  readonly el: HTMLElement;
  private readonly log = h("ol", { class: "chat-log", "aria-live": "polite", "aria-label": "Chat messages" });
  /** This viewer's lines not yet taken by the server, or not sent (under the log: a reset of the log keeps them). */
  private readonly pending = h("ol", { class: "chat-mine", "aria-live": "polite", "aria-label": "Your unsent messages" });
  private readonly input = h("input", { id: "chat-input", name: "chat", "data-limit": "chat", autocomplete: "off" });

  /**
   * @param send sends a line under its nonce (the same for a Retry): resolves once the server took it; rejects
   * (after the SDK's waiting and resends) when it was not taken.
   */
  constructor(send: (text: string, nonce: string) => Promise<void>) {
    const form = h(
      "form",
      { class: "chat-form" },
      h("label", { for: "chat-input", class: "visually-hidden" }, "Chat message"),
      this.input,
      h("button", { type: "submit" }, "Send"),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      this.submit(text, newChatNonce(), send);
    });
    this.el = h("section", { class: "card chat", "aria-labelledby": "chat-title" }, h("h2", { id: "chat-title" }, "Chat"), this.log, this.pending, form);
  }

  /**
   * Shows the line as "sending…" until the server took it (its echo then
   * shows it as everyone sees it). If it finally fails, the line stays,
   * marked "not sent" with the reason and a Retry button, and its text goes
   * back into an empty input. Retry sends it under the same nonce, so a line
   * that did reach the room is not shown twice; and when the room's echo of
   * the line arrives after all (its answer was lost), the mark goes.
   */
  private submit(text: string, nonce: string, send: (text: string, nonce: string) => Promise<void>): void {
    const state = h("em", { class: "chat-state" }, " sending…");
    const li = h("li", { class: "chat-line chat-pending", "data-nonce": nonce }, h("strong", {}, "You"), ": ", h("span", { class: "chat-text" }, text), state);
    this.pending.appendChild(li);
    this.scroll();
    send(text, nonce).then(
      () => li.remove(),
      (err: unknown) => {
        if (!li.isConnected) return; // its echo came: the room has it
        li.className = "chat-line chat-unsent";
        li.setAttribute("role", "alert");
        replace(state, ` — not sent: ${failureReason(err)}. `, button("Retry", () => {
          li.remove();
          if (this.input.value === text) this.input.value = "";
          this.submit(text, nonce, send);
        }, { class: "link" }));
        if (!this.input.value) this.input.value = text;
        this.scroll();
      },
    );
  }

  reset(entries: readonly ChatEntry[]): void {
    replace(this.log, ...entries.map((e) => this.line(e)));
    for (const e of entries) this.taken(e);
    this.scroll();
  }

  add(entry: ChatEntry): void {
    this.log.appendChild(this.line(entry));
    this.taken(entry);
    this.scroll();
  }

  /** The room has `entry`: a pending or "not sent" line of this viewer's with its nonce goes. */
  private taken(entry: ChatEntry): void {
    if (entry.nonce === undefined) return;
    for (const li of this.pending.querySelectorAll<HTMLLIElement>("li[data-nonce]")) if (li.dataset.nonce === entry.nonce) li.remove();
  }

  private line(e: ChatEntry): HTMLLIElement {
    return h("li", { class: "chat-line" }, clockTime(e.server_ts), " ", h("strong", {}, e.name), ": ", h("span", { class: "chat-text" }, e.text));
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.pending.scrollTop = this.pending.scrollHeight;
  }
}
