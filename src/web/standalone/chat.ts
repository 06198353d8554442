/** The room chat: a log of lines (text only) and a send form. */
import type { ChatEntry } from "../../protocol/index.js";
import { clockTime } from "./activity.js";
import { h, replace } from "./dom.js";

export class ChatPanel {
  readonly el: HTMLElement;
  private readonly log = h("ol", { class: "chat-log", "aria-live": "polite", "aria-label": "Chat messages" });
  private readonly input = h("input", { id: "chat-input", name: "chat", "data-limit": "chat", autocomplete: "off" });

  constructor(send: (text: string) => Promise<void>) {
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
      void send(text);
    });
    this.el = h("section", { class: "card chat", "aria-labelledby": "chat-title" }, h("h2", { id: "chat-title" }, "Chat"), this.log, form);
  }

  reset(entries: readonly ChatEntry[]): void {
    replace(this.log, ...entries.map((e) => this.line(e)));
    this.scroll();
  }

  add(entry: ChatEntry): void {
    this.log.appendChild(this.line(entry));
    this.scroll();
  }

  private line(e: ChatEntry): HTMLLIElement {
    return h("li", { class: "chat-line" }, clockTime(e.server_ts), " ", h("strong", {}, e.name), ": ", h("span", { class: "chat-text" }, e.text));
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
