/** Loads the room's media into the <video> and puts it under the sync engine. */
import type { PartyClient, SyncEngine } from "../../client/index.js";
import { Html5Player, type LoadedMedia, loadMedia } from "../../players/html5/index.js";

export interface AttachedMedia {
  url: string;
  player: Html5Player;
  engine: SyncEngine;
  destroy(): void;
}

export async function attachMedia(
  client: PartyClient,
  video: HTMLVideoElement,
  url: string,
  onError: (message: string) => void,
): Promise<AttachedMedia> {
  let loaded: LoadedMedia;
  try {
    loaded = await loadMedia(video, url, { onError });
  } catch (err) {
    throw new Error(`The media could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  const player = new Html5Player(video);
  player.on("error", ({ message }) => onError(message));
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
