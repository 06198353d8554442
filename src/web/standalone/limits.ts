/**
 * Input limits from the server's `client_hello.limits`, so the page never
 * cuts a name the server would accept (or lets one through it would refuse).
 * Until the hello arrives the server's defaults apply.
 */
import type { PublicLimits } from "../../protocol/index.js";

let nameMax = 100;
let chatMax = 1000;

export function setLimits(limits: Pick<PublicLimits, "max_name_length" | "max_chat_length">): void {
  nameMax = limits.max_name_length;
  chatMax = limits.max_chat_length;
  applyLimits(document);
}

export function maxNameLength(): number {
  return nameMax;
}

/** Sets `maxlength` on every input marked `data-limit="name"` or `"chat"` under `root`. */
export function applyLimits(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLInputElement>("input[data-limit]")) {
    el.maxLength = el.dataset.limit === "chat" ? chatMax : nameMax;
  }
}
