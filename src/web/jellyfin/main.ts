/**
 * OpenSyncParty for Jellyfin Web (10.9–10.11): one classic script, added by
 * the JavaScript Injector plugin, a userscript, or the party server's proxy
 * mode. It waits for a logged-in user, then adds the Watch Party buttons
 * and panel. See docs/jellyfin.md.
 */
import { resolveServerUrl } from "./config.js";
import { whenLoggedIn } from "./jellyfin-env.js";
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
  void whenLoggedIn().then(async (api) => {
    const user = await api.getCurrentUser().catch(() => null);
    const party = new JellyfinParty(api, serverUrl, user?.Name ?? "Jellyfin user");
    state.party = party;
    party.start();
  });
}
