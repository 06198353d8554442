/** Asks for a display name before joining through an invite link. */
import { field, h } from "./dom.js";
import { cleanName } from "./validate.js";

export function namePrompt(onName: (name: string) => void): HTMLElement {
  const input = h("input", { id: "invite-name", name: "displayName", autocomplete: "nickname", maxlength: 64, required: true });
  const form = h(
    "form",
    { class: "card name-prompt", "aria-labelledby": "prompt-title" },
    h("h2", { id: "prompt-title" }, "You are invited to a watch party"),
    field("Your name", input),
    h("button", { type: "submit", class: "primary" }, "Join"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = cleanName(input.value);
    if (name) onName(name);
    else input.focus();
  });
  queueMicrotask(() => input.focus());
  return h("main", { class: "lobby" }, form);
}
