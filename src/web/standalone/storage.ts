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

/** At most this many kept seats at once (tabs of one profile closed together); the oldest go first. */
const MAX_KEPT = 8;

interface KeptEntry extends ResumeInfo {
  until: number;
}

/** The kept seats still worth taking back; a broken or foreign value reads as none. */
function readKept(): KeptEntry[] {
  const raw = localStorage.getItem(RESUME_KEY);
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  const now = Date.now();
  return (Array.isArray(v) ? v : [v]).filter(
    (e): e is KeptEntry =>
      !!e && typeof e.token === "string" && typeof e.roomId === "string" && typeof e.until === "number" && e.until >= now,
  );
}

function writeKept(list: KeptEntry[]): void {
  if (list.length === 0) localStorage.removeItem(RESUME_KEY);
  else localStorage.setItem(RESUME_KEY, JSON.stringify(list.slice(-MAX_KEPT)));
}

/**
 * Written only as the page goes away (pagehide) and taken (read and removed)
 * at load, in localStorage: a reload, or the tab closed and opened again on
 * the party (same browser) while the server still keeps the seat
 * (`keepMs`, its `leaving_grace_ms`), resumes the same member with its
 * activity feed; a duplicated tab, opened while the first tab is still open,
 * finds nothing and joins as its own member instead of taking its seat.
 * All tabs of a profile share localStorage, so each closing tab adds its own
 * entry (several tabs closed together each get theirs back).
 */
export function keepResume(info: ResumeInfo, keepMs = DEFAULT_KEEP_MS): void {
  try {
    // A slow reload still tries: the server, not this clock, says whether the seat is kept.
    const list = readKept().filter((e) => e.token !== info.token);
    list.push({ ...info, until: Date.now() + keepMs + SLACK_MS });
    writeKept(list);
  } catch {
    // storage unavailable or full: a reload joins as a new member
  }
}

/**
 * Takes the most recently kept seat for `roomId` (the room in the page's
 * address), or, on an address without a room, the most recent one; a seat
 * kept for another room stays for its own tab.
 */
export function takeResume(roomId?: string | null): ResumeInfo | null {
  try {
    const list = readKept();
    let i = list.length - 1;
    if (roomId) while (i >= 0 && list[i]?.roomId !== roomId) i--;
    const e = i >= 0 ? list.splice(i, 1)[0] : undefined;
    writeKept(list);
    if (!e) return null;
    return { token: e.token, roomId: e.roomId, ...(Array.isArray(e.activity) ? { activity: e.activity.filter(isEntry) } : {}) };
  } catch {
    return null;
  }
}

function isEntry(e: unknown): e is ActivityEntry {
  const x = e as Partial<ActivityEntry> | null;
  return !!x && typeof x.kind === "string" && typeof x.at === "number" && typeof x.text === "string";
}
