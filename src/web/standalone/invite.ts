/** The invite link (`/?room=<id>`) with a copy button. */
import { button, h } from "./dom.js";

export function inviteUrl(roomId: string): string {
  const url = new URL("/", location.href);
  url.searchParams.set("room", roomId);
  return url.toString();
}

export function invitePanel(roomId: string): HTMLElement {
  const link = inviteUrl(roomId);
  const input = h("input", { id: "invite-link", readonly: true, value: link });
  const copied = h("span", { class: "muted", "aria-live": "polite" });
  const copy = button("Copy", () => {
    input.select();
    navigator.clipboard?.writeText(link).then(
      () => (copied.textContent = "Copied"),
      () => (copied.textContent = "Select and copy the link"),
    );
  });
  return h("div", { class: "invite" }, h("label", { for: "invite-link" }, "Invite link"), h("div", { class: "row" }, input, copy, copied));
}
