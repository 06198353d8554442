/**
 * Invite links: Jellyfin Web's own address with `?ospRoom=<room id>` before
 * the hash route, and the route of the room's item (`#/details?id=<item>`).
 * Jellyfin's hash router (10.9+) never touches `location.search`, so the
 * room survives the login redirect; the script keeps it in sessionStorage
 * too, and joins it once the user is logged in and connected. Joining then
 * takes the friend to the room's item like any joiner.
 */
const PARAM = "ospRoom";
const STORAGE_KEY = "opensyncparty.pendingRoom";

/** The link for a room, on this Jellyfin Web page. */
export function inviteLink(roomId: string, itemId: string | null, loc: Location = location): string {
  const u = new URL(loc.pathname, loc.origin);
  u.searchParams.set(PARAM, roomId);
  u.hash = itemId ? `#/details?id=${itemId}` : "#/home";
  return u.href;
}

/**
 * The room an invite link asked for, once: read from the URL (query, or the
 * hash route's query if a router moved it there), kept across a login
 * redirect in sessionStorage, and removed from the address bar.
 */
export function takeInvitedRoom(): string | null {
  const fromSearch = new URLSearchParams(location.search).get(PARAM);
  const fromHash = new URLSearchParams(location.hash.split("?")[1] ?? "").get(PARAM);
  const found = fromSearch ?? fromHash;
  if (found) {
    try {
      sessionStorage.setItem(STORAGE_KEY, found);
    } catch {}
    if (fromSearch) {
      const u = new URL(location.href);
      u.searchParams.delete(PARAM);
      history.replaceState(history.state, "", u.href);
    }
  }
  let pending: string | null = found;
  try {
    pending ??= sessionStorage.getItem(STORAGE_KEY);
  } catch {}
  return pending;
}

/** The invite was used (joined, or the room is gone). */
export function forgetInvitedRoom(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {}
}
