/**
 * mpv as a party member: launches (or attaches to) mpv, connects a
 * PartyClient, creates or joins the room, and puts mpv under the same sync
 * engine the browser uses. Quitting mpv leaves the room cleanly.
 */
import { PartyClient, type PartyClientOptions } from "../client/party-client.js";
import { type LaunchedMpv, launchMpv } from "../players/mpv/launch-mpv.js";
import { MpvPlayer } from "../players/mpv/mpv-player.js";
import { showPartyNotices } from "./osd-notices.js";
import { nodeWebSocket } from "../client/node-socket.js";

export interface MpvPartyOptions {
  /** File path or URL (a Jellyfin stream URL works). Omit with `ipcPath` + attach to use what mpv has open. */
  media?: string;
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

export async function startMpvParty(o: MpvPartyOptions): Promise<MpvParty> {
  if (!o.room === !o.create) throw new Error("Give exactly one of --room <id> or --create <name>.");
  const mpv = await launchMpv({
    ...(o.media !== undefined ? { media: o.media } : {}),
    ...(o.ipcPath ? { ipcPath: o.ipcPath } : {}),
    ...(o.attach ? { attach: true } : {}),
    ...(o.mpvArgs ? { extraArgs: o.mpvArgs } : {}),
    ...(o.mpvPath ? { mpvPath: o.mpvPath } : {}),
  });
  const player = await MpvPlayer.connect(mpv.ipcPath);
  // The engine may seek at once; mpv refuses seeks until the file is loaded.
  const loaded = new Promise<void>((resolve) => player.on("ready", () => resolve()));
  const client = new PartyClient({
    url: o.server,
    ...(o.name ? { displayName: o.name } : {}),
    createSocket: nodeWebSocket,
    ...(o.sync ? { sync: o.sync } : {}),
  });
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
    await client.connect();
    if (o.create) await client.createRoom({ name: o.create, ...(o.media ? { mediaTitle: titleOf(o.media) } : {}) });
    else await client.joinRoom(o.room!);
    await loaded;
    client.attachPlayer(player);
  } catch (err) {
    await close();
    throw err;
  }
  return { client, player, mpv, done, close };
}

function titleOf(media: string): string {
  const last = media.split(/[/\\]/).pop() ?? media;
  return decodeURIComponent(last.split("?")[0] ?? last).slice(0, 200);
}
