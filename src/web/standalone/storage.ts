/**
 * What the page remembers: the display name (localStorage), and, across a
 * reload of this tab only, the session to resume (sessionStorage).
 */
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
}

/**
 * Written only as the page goes away (pagehide) and taken (read and removed)
 * at load: a reload resumes the same member, while a duplicated tab, which
 * copies sessionStorage while the first tab is still open, finds nothing and
 * joins as its own member instead of taking the first tab's seat.
 */
export function keepResume(info: ResumeInfo): void {
  try {
    sessionStorage.setItem(RESUME_KEY, JSON.stringify(info));
  } catch {
    // storage unavailable: a reload joins as a new member
  }
}

export function takeResume(): ResumeInfo | null {
  try {
    const raw = sessionStorage.getItem(RESUME_KEY);
    sessionStorage.removeItem(RESUME_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<ResumeInfo>;
    return typeof v.token === "string" && typeof v.roomId === "string" ? { token: v.token, roomId: v.roomId } : null;
  } catch {
    return null;
  }
}
