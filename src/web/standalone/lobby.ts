/**
 * The lobby: the room list the server pushes, and a form to start a room
 * from a media URL (probed first, so a bad link is named before the room
 * exists), optionally unlisted and with a password. Joining and creating
 * both need a display name.
 */
import type { RoomSummary } from "../../protocol/index.js";
import { button, field, h, replace } from "./dom.js";
import { applyLimits } from "./limits.js";
import { loopbackMediaWarning } from "./loopback-warning.js";
import { probeMedia } from "./probe.js";
import { cleanName, mediaUrlProblem } from "./validate.js";

export interface CreateOptions {
  roomName: string;
  mediaUrl: string;
  displayName: string;
  unlisted: boolean;
  password: string | undefined;
}

export interface LobbyActions {
  create(o: CreateOptions): Promise<void>;
  join(roomId: string, displayName: string): Promise<void>;
  /** Where the room's invite link will point (paths.inviteBase): a loopback media link is warned about against it. */
  inviteBase?(): URL;
}

export class Lobby {
  readonly el: HTMLElement;
  private readonly list = h("ul", { class: "room-list", "aria-label": "Open rooms" });
  private readonly nameInput = h("input", { id: "display-name", name: "displayName", autocomplete: "nickname", "data-limit": "name", required: true });
  private readonly roomInput = h("input", { id: "room-name", name: "roomName", "data-limit": "name", required: true });
  private readonly urlInput = h("input", { id: "media-url", name: "mediaUrl", type: "url", placeholder: "https://example.com/movie.mp4", required: true });
  private readonly urlWarning = h("p", { id: "media-url-warning", class: "form-warning", role: "status" });
  private readonly unlisted = h("input", { type: "checkbox", id: "room-unlisted", name: "unlisted" });
  private readonly password = h("input", { id: "room-password", name: "roomPassword", type: "password", autocomplete: "new-password", "data-limit": "name" });
  private readonly submitButton = h("button", { type: "submit", class: "primary" }, "Create room");
  private readonly formError = h("p", { class: "form-error", role: "alert" });

  constructor(private readonly actions: LobbyActions, displayName: string) {
    this.nameInput.value = displayName;
    this.urlInput.addEventListener("input", () => this.warnAboutUrl());
    const form = h(
      "form",
      { class: "card create-room", "aria-labelledby": "create-title" },
      h("h2", { id: "create-title" }, "Start a watch party"),
      field("Your name", this.nameInput),
      field("Room name", this.roomInput),
      field("Media URL (MP4, WebM, HLS or a Jellyfin stream link)", this.urlInput),
      this.urlWarning,
      h(
        "details",
        { class: "privacy" },
        h("summary", {}, "Privacy"),
        h("label", { class: "check" }, this.unlisted, " Unlisted: only people with the invite link see it"),
        field("Password (optional; a room with one is never listed)", this.password),
      ),
      this.formError,
      this.submitButton,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.el = h(
      "main",
      { class: "lobby" },
      form,
      h("section", { class: "card", "aria-labelledby": "rooms-title" }, h("h2", { id: "rooms-title" }, "Open rooms"), this.list),
    );
    this.renderRooms([]);
    applyLimits(this.el);
  }

  /** The server will not have this page's rooms (it admits Jellyfin users only): say why, and nothing can be submitted. */
  refuse(reason: string): void {
    for (const el of this.el.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, button")) el.disabled = true;
    this.formError.textContent = reason;
  }

  renderRooms(rooms: readonly RoomSummary[]): void {
    if (rooms.length === 0) {
      replace(this.list, h("li", { class: "muted" }, "No open rooms yet — start one."));
      return;
    }
    replace(
      this.list,
      ...rooms.map((r) =>
        h(
          "li",
          { class: "room-item" },
          h("span", { class: "room-name" }, r.name),
          h("span", { class: "muted" }, `${r.media_title ? `${r.media_title} · ` : ""}${r.count} watching`),
          button("Join", () => void this.join(r.id), { "aria-label": `Join ${r.name}` }),
        ),
      ),
    );
  }

  private displayName(): string | null {
    const name = cleanName(this.nameInput.value);
    if (!name) {
      this.showError("Enter your name first.");
      this.nameInput.focus();
      return null;
    }
    return name;
  }

  private async join(roomId: string): Promise<void> {
    const name = this.displayName();
    if (name) await this.run(() => this.actions.join(roomId, name));
  }

  private async submit(): Promise<void> {
    const displayName = this.displayName();
    if (!displayName) return;
    const roomName = cleanName(this.roomInput.value);
    if (!roomName) return this.showError("Give the room a name.");
    const problem = mediaUrlProblem(this.urlInput.value);
    if (problem) {
      this.urlInput.setAttribute("aria-invalid", "true");
      return this.showError(problem);
    }
    this.urlInput.removeAttribute("aria-invalid");
    const mediaUrl = this.urlInput.value.trim();
    this.warnAboutUrl();
    this.submitButton.disabled = true;
    try {
      this.showError("Checking the media…");
      const bad = await probeMedia(mediaUrl);
      if (bad) {
        this.urlInput.setAttribute("aria-invalid", "true");
        this.formError.dataset.kind = bad.kind;
        return this.showError(bad.message);
      }
      const password = this.password.value === "" ? undefined : this.password.value;
      await this.run(() => this.actions.create({ roomName, mediaUrl, displayName, unlisted: this.unlisted.checked, password }));
    } finally {
      this.submitButton.disabled = false;
    }
  }

  /** A loopback media link while the invite goes elsewhere: a warning under the field (creating the room stays possible). */
  private warnAboutUrl(): void {
    const base = this.actions.inviteBase?.();
    this.urlWarning.textContent = base ? (loopbackMediaWarning(this.urlInput.value, base) ?? "") : "";
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.showError("");
    try {
      await fn();
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }

  private showError(text: string): void {
    if (text === "" || text === "Checking the media…") delete this.formError.dataset.kind;
    this.formError.textContent = text;
  }
}
