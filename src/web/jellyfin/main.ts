/**
 * OpenSyncParty for Jellyfin Web (10.9–10.11, read against the 12.0 line):
 * one classic script, added by the JavaScript Injector plugin, a
 * userscript, or the party server's proxy mode. It notes an invite link's
 * room, waits for a logged-in user, then adds the Watch Party buttons and
 * panel. See docs/jellyfin.md.
 */
import { resolveServerUrl } from "./config.js";
import { takeInvitedRoom } from "./invite.js";
import { whenLoggedIn, whenSignedOut } from "./jellyfin-env.js";
import { JellyfinParty } from "./party.js";

declare global {
  interface Window {
    /** Set as soon as the script runs (so a second copy does nothing); `party` once a user is logged in. */
    OpenSyncParty?: { party: JellyfinParty | null };
  }
}

// Read synchronously: `document.currentScript` is only set while this file runs.
const script = document.currentScript as HTMLScriptElement | null;

if (!window.OpenSyncParty) {
  const state: { party: JellyfinParty | null } = { party: null };
  window.OpenSyncParty = state;
  const serverUrl = resolveServerUrl(script, window);
  // Before login: the login redirect changes only the hash, but read it now anyway.
  let invitedRoom = takeInvitedRoom();
  // One party per signed-in user: signing out (or in as someone else, without a reload) ends it and its seat.
  const partyForEachUser = async (): Promise<void> => {
    const api = await whenLoggedIn();
    const userId = api.getCurrentUserId() ?? "";
    const token = api.accessToken() ?? "";
    const user = await api.getCurrentUser().catch(() => null);
    const party = new JellyfinParty(api, serverUrl, user?.Name ?? "Jellyfin user", invitedRoom);
    invitedRoom = null;
    state.party = party;
    party.start();
    await whenSignedOut(userId, token);
    state.party = null;
    await party.stop();
    return partyForEachUser();
  };
  void partyForEachUser();
}
