/** The viewer's display name, remembered in localStorage when available. */
const KEY = "opensyncparty.displayName";

export function storedName(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

export function storeName(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // private mode: the name is asked again next time
  }
}
