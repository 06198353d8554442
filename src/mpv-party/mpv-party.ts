/**
 * mpv as a party member: launches (or attaches to) mpv, connects a
 * PartyClient, creates or joins the room, and puts mpv under the same sync
 * engine the browser uses. Quitting mpv leaves the room cleanly.
 * Logged in to Jellyfin, it can play what the room names: joining a room
 * whose `media_id` is a Jellyfin item opens that item's stream.
 */
import { PartyClient, type PartyClientOptions } from "../client/party-client.js";
import { type LaunchedMpv, launchMpv } from "../players/mpv/launch-mpv.js";
import { MpvPlayer } from "../players/mpv/mpv-player.js";
import { showPartyNotices } from "./osd-notices.js";
import { nodeWebSocket } from "../client/node-socket.js";
import { type JellyfinSession, getItem, isJellyfinItemId } from "./jellyfin-client.js";

export interface MpvPartyOptions {
  /** File path or URL (a Jellyfin stream URL works). Omit with `ipcPath` + attach to use what mpv has open, or with `jellyfin` to play the room's Jellyfin item. */
  media?: string;
  /** Logged-in Jellyfin user: its token also authenticates to a party server started with --jellyfin-url. */
  jellyfin?: JellyfinSession;
  /** With `create` and `jellyfin`: the Jellyfin item (32 hex) the new room plays. */
  item?: string;
  server: string;
  /** Join this room … */
  room?: string;
  /** … or create one with this name. */
  create?: string;
  name?: string;
  /** Attach to an mpv already started with --input-ipc-server=<path>. */
  ipcPath?: string;
  attach?: boolean;
  mpvArgs?: readonly string[];
  mpvPath?: string;
  sync?: PartyClientOptions["sync"];
}

export interface MpvParty {
  client: PartyClient;
  player: MpvPlayer;
  mpv: LaunchedMpv;
  /** Resolves when mpv quit or close() was called. */
  readonly done: Promise<void>;
  /** Leaves the room, disconnects, quits mpv (if we started it). Idempotent. */
  close(): Promise<void>;
}

/** Thrown when there is nothing to play: no media given and the room names no Jellyfin item. */
export class NoMediaError extends Error {
  override name = "NoMediaError";
}

export async function startMpvParty(o: MpvPartyOptions): Promise<MpvParty> {
  if (!o.room === !o.create) throw new Error("Give exactly one of --room <id> or --create <name>.");
  const item = o.create && o.item && o.jellyfin ? await getItem(o.jellyfin, o.item) : null;
  const client = new PartyClient({
    url: o.server,
    ...((o.name ?? o.jellyfin?.userName) ? { displayName: o.name ?? o.jellyfin?.userName } : {}),
    ...(o.jellyfin ? { token: o.jellyfin.token } : {}),
    createSocket: nodeWebSocket,
    ...(o.sync ? { sync: o.sync } : {}),
  });
  const launch = (media: string | undefined) =>
    launchMpv({
      ...(media !== undefined ? { media } : {}),
      ...(o.ipcPath ? { ipcPath: o.ipcPath } : {}),
      ...(o.attach ? { attach: true } : {}),
      ...(o.mpvArgs ? { extraArgs: o.mpvArgs } : {}),
      ...(o.mpvPath ? { mpvPath: o.mpvPath } : {}),
    });
  // With the media known, mpv starts before we join (others see a member whose player exists);
  // otherwise the room says what to play, so we join first.
  const known = o.media ?? item?.streamUrl;
  let mpv: LaunchedMpv | null = known !== undefined || o.attach ? await launch(known) : null;
  try {
    await client.connect();
    if (o.create) {
      const title = item?.name ?? (o.media ? titleOf(o.media) : undefined);
      await client.createRoom({ name: o.create, ...(item ? { mediaId: item.id } : {}), ...(title ? { mediaTitle: title } : {}) });
    } else await client.joinRoom(o.room!);
    mpv ??= await launch(await roomMedia(client, o.jellyfin));
  } catch (err) {
    await client.leaveRoom().catch(() => {});
    client.close();
    await mpv?.close();
    throw err;
  }
  const player = await MpvPlayer.connect(mpv.ipcPath);
  // The engine may seek at once; mpv refuses seeks until the file is loaded.
  const loaded = new Promise<void>((resolve) => player.on("ready", () => resolve()));
  const stopNotices = showPartyNotices(client, (text, ms) => void player.showText(text, ms).catch(() => {}));
  let closing: Promise<void> | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const close = () => {
    closing ??= (async () => {
      stopNotices();
      client.detachPlayer();
      await client.leaveRoom().catch(() => {});
      client.close();
      player.destroy();
      await mpv.close();
      resolveDone();
    })();
    return closing;
  };
  player.ipc.onClose(() => void close());
  try {
    await loaded;
    client.attachPlayer(player);
  } catch (err) {
    await close();
    throw err;
  }
  return { client, player, mpv, done, close };
}

/** The stream of the Jellyfin item the room names (its media_id). */
async function roomMedia(client: PartyClient, jellyfin: JellyfinSession | undefined): Promise<string> {
  const room = client.room;
  const mediaId = room?.mediaId;
  if (!isJellyfinItemId(mediaId)) throw new NoMediaError(`Room ${room?.id} names no Jellyfin item to play: give a file or URL.`);
  if (!jellyfin) {
    throw new NoMediaError(`Room ${room?.id} plays Jellyfin item ${mediaId}: log in with --jellyfin <url> to play it, or give a file or URL.`);
  }
  return (await getItem(jellyfin, mediaId)).streamUrl;
}

function titleOf(media: string): string {
  const last = media.split(/[/\\]/).pop() ?? media;
  return decodeURIComponent(last.split("?")[0] ?? last).slice(0, 200);
}
