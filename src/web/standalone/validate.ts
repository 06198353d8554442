/** Input checks for the lobby forms, mirroring what the server accepts. */

const MEDIA_EXTENSIONS = [".mp4", ".m4v", ".webm", ".m3u8", ".mov", ".ogv"];

/** Null when the URL is an http(s) media URL; else why not. */
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
  const path = url.pathname.toLowerCase();
  if (!MEDIA_EXTENSIONS.some((ext) => path.endsWith(ext))) {
    return "Use a direct link to an MP4, WebM or HLS (.m3u8) file.";
  }
  return null;
}

export const MAX_NAME_LENGTH = 64;

export function cleanName(raw: string): string {
  return raw.trim().slice(0, MAX_NAME_LENGTH);
}

/** The title shown for a media URL: its file name. */
export function mediaTitle(url: string): string {
  try {
    const parts = new URL(url).pathname.split("/").filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] ?? url);
  } catch {
    return url;
  }
}
