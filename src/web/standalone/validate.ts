/** Input checks for the page's forms, mirroring what the server accepts. */
import { formatMediaTime } from "../../client/activity.js";
import { maxNameLength } from "./limits.js";

/**
 * Null when the text is an http(s) URL; else why not. Any such URL is
 * accepted, with or without a file extension (a Jellyfin stream URL
 * `…/Videos/<id>/stream?static=true&ApiKey=…` has none): whether the media
 * really plays is found out by probing it (probe.ts), not guessed from its name.
 */
export function mediaUrlProblem(raw: string): string | null {
  const text = raw.trim();
  if (text === "") return "Enter a media URL.";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "That is not a valid URL.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Only http:// and https:// media URLs are allowed.";
  return null;
}

/** A name trimmed to the server's limit (client_hello.limits.max_name_length). */
export function cleanName(raw: string): string {
  return raw.trim().slice(0, maxNameLength());
}

/** The title shown for a media URL: its file name; for a Jellyfin stream, "Jellyfin item <id>". Within the server's limit (2 × the name limit). */
export function mediaTitle(url: string): string {
  return fullTitle(url).slice(0, maxNameLength() * 2);
}

function fullTitle(url: string): string {
  try {
    const path = new URL(url).pathname;
    const jellyfin = /\/Videos\/([^/]+)\/(?:stream|master\.m3u8|main\.m3u8)/i.exec(path);
    if (jellyfin?.[1]) return `Jellyfin item ${decodeURIComponent(jellyfin[1]).slice(0, 12)}`;
    const parts = path.split("/").filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] ?? url);
  } catch {
    return url;
  }
}

/**
 * A media time typed by a person: `90`, `1:30` or `1:02:03` (a fraction on
 * the last part is allowed; minutes and seconds after a colon are 0–59).
 * Empty means 0. `{ seconds }`, or `{ problem }` in words for the form
 * (negative, too many parts, a part over 59, not a time, past `durationS`).
 */
export function parseMediaTime(raw: string, durationS?: number | null): { seconds: number } | { problem: string } {
  const text = raw.trim();
  if (text === "") return { seconds: 0 };
  if (text.startsWith("-")) return { problem: "The start time cannot be negative." };
  const parts = text.split(":");
  if (parts.length > 3) return { problem: "Too many parts: use m:ss or h:mm:ss (like 1:30 or 1:02:03)." };
  const last = parts.length - 1;
  if (!parts.every((p, i) => (i === last ? /^\d+(\.\d+)?$/ : /^\d+$/).test(p))) {
    return { problem: "Start at a time like 90, 1:30 or 1:02:03, or leave it empty for the beginning." };
  }
  const nums = parts.map(Number);
  if (nums.some((n, i) => i > 0 && n >= 60)) return { problem: "Minutes and seconds after a colon go up to 59 (like 1:30 or 1:02:03)." };
  const seconds = nums.reduce((acc, n) => acc * 60 + n, 0);
  if (durationS && Number.isFinite(durationS) && seconds >= durationS) {
    return { problem: `The media is only ${formatMediaTime(durationS)} long: start before that.` };
  }
  return { seconds };
}
