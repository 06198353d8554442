/**
 * What the page remembers: the display name, and, across a reload or a
 * reopened tab, the session to resume with its activity feed (localStorage).
 */
import type { ActivityEntry } from "../../client/index.js";

const NAME_KEY = "opensyncparty.displayName";
const RESUME_KEY = "opensyncparty.resume";

export function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

export function storeName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // private mode: the name is asked again next time
  }
}

export interface ResumeInfo {
  token: string;
  roomId: string;
  /** The room's activity feed as this page showed it, oldest first: shown again after the reload. */
  activity?: ActivityEntry[];
}

/** How long a kept seat is worth taking back when the server did not say (its `leaving_grace_ms` default), ms. */
const DEFAULT_KEEP_MS = 5_000;
const SLACK_MS = 5_000;

/**
 * Written only as the page goes away (pagehide) and taken (read and removed)
 * at load, in localStorage: a reload, or the tab closed and opened again on
 * the party (same browser) while the server still keeps the seat
 * (`keepMs`, its `leaving_grace_ms`), resumes the same member with its
 * activity feed; a duplicated tab, opened while the first tab is still open,
 * finds nothing and joins as its own member instead of taking its seat.
 */
export function keepResume(info: ResumeInfo, keepMs = DEFAULT_KEEP_MS): void {
  try {
    // A slow reload still tries: the server, not this clock, says whether the seat is kept.
    localStorage.setItem(RESUME_KEY, JSON.stringify({ ...info, until: Date.now() + keepMs + SLACK_MS }));
  } catch {
    // storage unavailable or full: a reload joins as a new member
  }
}

export function takeResume(): ResumeInfo | null {
  try {
    const raw = localStorage.getItem(RESUME_KEY);
    localStorage.removeItem(RESUME_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<ResumeInfo> & { until?: number };
    if (typeof v.token !== "string" || typeof v.roomId !== "string") return null;
    if (typeof v.until !== "number" || v.until < Date.now()) return null; // the server has freed the seat by now
    return { token: v.token, roomId: v.roomId, ...(Array.isArray(v.activity) ? { activity: v.activity.filter(isEntry) } : {}) };
  } catch {
    return null;
  }
}

function isEntry(e: unknown): e is ActivityEntry {
  const x = e as Partial<ActivityEntry> | null;
  return !!x && typeof x.kind === "string" && typeof x.at === "number" && typeof x.text === "string";
}
