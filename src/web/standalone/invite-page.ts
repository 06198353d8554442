/**
 * What an invite link opens: the room's name, host and title (from
 * `room_info`) before asking for a name (and the password, when the room has
 * one); or, at once, that the room is gone.
 */
import type { RoomInfoPayload } from "../../protocol/index.js";
import { button, field, h } from "./dom.js";
import { applyLimits } from "./limits.js";
import { cleanName } from "./validate.js";

export interface InviteActions {
  join(name: string, password: string | undefined): Promise<void>;
  toLobby(): void;
}

export function invitePage(info: RoomInfoPayload, storedName: string, actions: InviteActions): HTMLElement {
  const name = h("input", { id: "invite-name", name: "displayName", autocomplete: "nickname", required: true, "data-limit": "name", value: storedName });
  const password = info.password && h("input", { id: "invite-password", name: "password", type: "password", required: true, autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" });
  const who = `${info.count} watching · host: ${info.host_name}`;
  const form = h(
    "form",
    { class: "card name-prompt", "aria-labelledby": "prompt-title" },
    h("p", { class: "muted" }, "You are invited to a watch party"),
    h("h2", { id: "prompt-title", class: "invite-room-name" }, info.name),
    info.media_title && h("p", { class: "invite-media" }, info.media_title),
    h("p", { class: "muted invite-who" }, who),
    field("Your name", name),
    password && field("Room password", password),
    error,
    h("button", { type: "submit", class: "primary" }, "Join"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const n = cleanName(name.value);
    if (!n) return name.focus();
    error.textContent = "";
    actions.join(n, password ? password.value : undefined).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  applyLimits(form);
  queueMicrotask(() => (storedName && password ? password : name).focus());
  return h("main", { class: "lobby" }, form);
}

export function roomGonePage(roomId: string, why: string, toLobby: () => void): HTMLElement {
  return h(
    "main",
    { class: "lobby" },
    h(
      "section",
      { class: "card room-gone", role: "alert" },
      h("h2", {}, "This watch party is not available"),
      h("p", {}, why),
      h("p", { class: "muted" }, `Room ${roomId}`),
      button("See open rooms", toLobby, { class: "primary" }),
    ),
  );
}
