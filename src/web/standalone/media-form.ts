/**
 * The host's "Change media" form: a new URL (checked by probing it first)
 * and where it starts. Everyone follows; the new media starts at that
 * position, paused, so nobody starts it at the old media's position.
 */
import { field, h } from "./dom.js";
import { probeMedia } from "./probe.js";
import { mediaTitle, mediaUrlProblem } from "./validate.js";

export interface MediaChange {
  mediaUrl: string;
  mediaTitle: string;
  startSeconds: number;
}

/** "90", "1:30" or "1:02:03" → seconds; null when not a time. */
export function parseStartTime(text: string): number | null {
  const t = text.trim();
  if (t === "") return 0;
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(t)) return null;
  return t.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
}

export function mediaForm(change: (c: MediaChange) => Promise<void>): HTMLElement {
  const url = h("input", { id: "new-media-url", name: "newMediaUrl", type: "url", required: true, placeholder: "https://…" });
  const start = h("input", { id: "new-media-start", name: "newMediaStart", placeholder: "0:00", inputmode: "numeric", size: 8 });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit" }, "Change media");
  const form = h(
    "form",
    { class: "media-form", "aria-label": "Change media" },
    field("New media URL", url),
    field("Start at (m:ss)", start),
    error,
    submit,
  );
  const say = (text: string) => {
    error.textContent = text;
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      const problem = mediaUrlProblem(url.value);
      const startSeconds = parseStartTime(start.value);
      if (problem) return say(problem);
      if (startSeconds === null) return say("Start at a time like 1:30, or leave it empty for the beginning.");
      submit.disabled = true;
      say("Checking the media…");
      try {
        const bad = await probeMedia(url.value.trim());
        if (bad) return say(bad.message);
        await change({ mediaUrl: url.value.trim(), mediaTitle: mediaTitle(url.value.trim()), startSeconds });
        error.textContent = "";
        url.value = "";
        start.value = "";
      } catch (err) {
        error.textContent = err instanceof Error ? err.message : String(err);
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return h("details", { class: "change-media" }, h("summary", {}, "Change media"), form);
}
