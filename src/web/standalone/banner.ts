/**
 * The status banner: connecting, reconnecting, closed, media and server
 * errors. One line per source so a media error does not hide a reconnect.
 */
import { button, h, replace } from "./dom.js";

export type BannerSource = "connection" | "media" | "server";
export type BannerTone = "info" | "warn" | "error";

export class Banner {
  readonly el = h("div", { class: "banners", role: "status", "aria-live": "polite" });
  private readonly lines = new Map<BannerSource, HTMLElement>();

  set(source: BannerSource, tone: BannerTone, text: string, dismissible = false): void {
    let line = this.lines.get(source);
    if (!line) {
      line = h("div");
      this.lines.set(source, line);
      this.el.appendChild(line);
    }
    line.className = `banner banner-${tone}`;
    line.dataset.source = source;
    replace(line, h("span", {}, text), dismissible && button("Dismiss", () => this.clear(source), { class: "link" }));
  }

  clear(source: BannerSource): void {
    this.lines.get(source)?.remove();
    this.lines.delete(source);
  }
}
