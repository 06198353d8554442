/** Loads the room's media into the <video> and puts it under the sync engine. */
import type { PartyClient, SyncEngine } from "../../client/index.js";
import { Html5Player, type LoadedMedia, loadMedia } from "../../players/html5/index.js";

export interface AttachedMedia {
  url: string;
  player: Html5Player;
  engine: SyncEngine;
  destroy(): void;
}

export interface MediaHandlers {
  /** The media failed (load or playback). */
  onError(message: string): void;
  /** The browser refused play() without a user gesture (autoplay policy). */
  onAutoplayBlocked(): void;
}

export async function attachMedia(
  client: PartyClient,
  video: HTMLVideoElement,
  url: string,
  on: MediaHandlers,
): Promise<AttachedMedia> {
  let loaded: LoadedMedia;
  try {
    loaded = await loadMedia(video, url, { onError: on.onError });
  } catch (err) {
    throw new Error(`The media could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  const player = new Html5Player(video);
  player.on("error", ({ message }) => {
    if (/NotAllowedError/.test(message)) on.onAutoplayBlocked();
    else on.onError(message);
  });
  const engine = client.attachPlayer(player);
  return {
    url,
    player,
    engine,
    destroy() {
      client.detachPlayer();
      player.destroy();
      loaded.destroy();
    },
  };
}
