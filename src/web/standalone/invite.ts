/** The invite link (`<invite base>?room=<id>`, see paths.inviteBase) with a copy button. */
import { button, h } from "./dom.js";

export function inviteUrl(roomId: string, base: URL): string {
  const url = new URL(base);
  url.search = "";
  url.hash = "";
  url.searchParams.set("room", roomId);
  return url.toString();
}

export function invitePanel(roomId: string, base: URL): HTMLElement {
  const link = inviteUrl(roomId, base);
  const input = h("input", { id: "invite-link", readonly: true, value: link });
  const copied = h("span", { class: "muted", "aria-live": "polite" });
  const copy = button("Copy", () => {
    input.select();
    navigator.clipboard?.writeText(link).then(
      () => (copied.textContent = "Copied"),
      () => (copied.textContent = "Select and copy the link"),
    );
  });
  return h(
    "div",
    { class: "invite" },
    h("label", { for: "invite-link" }, "Invite link"),
    h("div", { class: "row" }, input, copy, copied),
    h("p", { class: "muted small-print" }, "Anyone with this link can join; a room password, if set, is asked for too."),
  );
}
