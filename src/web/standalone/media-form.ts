/**
 * The host's "Change media" form: a new URL (checked by probing it first)
 * and where it starts. Everyone follows; the new media starts at that
 * position, paused, so nobody starts it at the old media's position.
 */
import { field, h } from "./dom.js";
import { loopbackMediaWarning } from "./loopback-warning.js";
import { type ProbeInfo, probeMedia } from "./probe.js";
import { mediaTitle, mediaUrlProblem, parseMediaTime } from "./validate.js";

export interface MediaChange {
  mediaUrl: string;
  mediaTitle: string;
  startSeconds: number;
}

/** @param inviteBase where the invite link points: a loopback media link is warned about against it (not refused). */
export function mediaForm(change: (c: MediaChange) => Promise<void>, inviteBase?: URL): HTMLElement {
  const url = h("input", { id: "new-media-url", name: "newMediaUrl", type: "url", required: true, placeholder: "https://…" });
  const start = h("input", { id: "new-media-start", name: "newMediaStart", placeholder: "0:00", inputmode: "numeric", size: 8 });
  const error = h("p", { class: "form-error", role: "alert" });
  // The start field says what is wrong as it is typed (format); the media's length is checked once the probe knows it.
  const startError = h("p", { class: "field-error", id: "new-media-start-error", role: "alert" });
  start.setAttribute("aria-describedby", startError.id);
  const checkStart = (durationS?: number) => {
    const parsed = parseMediaTime(start.value, durationS);
    const problem = "problem" in parsed ? parsed.problem : "";
    startError.textContent = problem;
    if (problem) start.setAttribute("aria-invalid", "true");
    else start.removeAttribute("aria-invalid");
    return "seconds" in parsed ? parsed.seconds : null;
  };
  start.addEventListener("input", () => checkStart());
  const urlWarning = h("p", { id: "new-media-url-warning", class: "form-warning", role: "status" });
  url.addEventListener("input", () => {
    urlWarning.textContent = inviteBase ? (loopbackMediaWarning(url.value, inviteBase) ?? "") : "";
  });
  const submit = h("button", { type: "submit" }, "Change media");
  const form = h(
    "form",
    { class: "media-form", "aria-label": "Change media" },
    field("New media URL", url),
    urlWarning,
    field("Start at (m:ss)", start),
    startError,
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
      if (checkStart() === null) return start.focus();
      if (problem) return say(problem);
      submit.disabled = true;
      say("Checking the media…");
      try {
        const info: ProbeInfo = {};
        const bad = await probeMedia(url.value.trim(), undefined, info);
        if (bad) return say(bad.message);
        const startSeconds = checkStart(info.durationS);
        if (startSeconds === null) {
          say("");
          return start.focus();
        }
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
