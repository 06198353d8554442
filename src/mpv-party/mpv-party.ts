/**
 * mpv as a party member: launches (or attaches to) mpv, connects a
 * PartyClient, creates or joins the room, and puts mpv under the same sync
 * engine the browser uses. Quitting mpv leaves the room cleanly.
 * Logged in to Jellyfin, it can play what the room names: joining a room
 * whose `media_id` is a Jellyfin item opens that item's stream.
 */
import { PartyClient, type PartyClientOptions } from "../client/party-client.js";
import { type LaunchedMpv, launchMpv, mpvProblem } from "../players/mpv/launch-mpv.js";
import { MpvPlayer } from "../players/mpv/mpv-player.js";
import { showPartyNotices } from "./osd-notices.js";
import { type JellyfinSession, getItem } from "./jellyfin-client.js";
import { checkLocalMedia, waitForMedia } from "./media-load.js";
import { followPartyFile } from "./party-file.js";
import { watchRoomMedia } from "./room-media.js";
import { enterRoom, roomMedia } from "./room-entry.js";
import { normalizeRoomId } from "./room-id.js";
import { MpvPartyError, connectWithin, serverWsUrl, watchedSockets } from "./server-connect.js";

export { NoMediaError } from "./room-entry.js";
export { MpvPartyError } from "./server-connect.js";

export interface MpvPartyOptions {
  /** File path or URL (a Jellyfin stream URL works). Omit with `ipcPath` + attach to use what mpv has open, or with `jellyfin` to play the room's Jellyfin item. */
  media?: string;
  /** Logged-in Jellyfin user: its token also authenticates to a party server started with --jellyfin-url. */
  jellyfin?: JellyfinSession;
  /** With `create` and `jellyfin`: the Jellyfin item (32 hex) the new room plays. */
  item?: string;
  /** The party server: ws(s)://…/ws, or the party page's http(s) address (its /ws is used). */
  server: string;
  /** Join this room (trimmed; an invite link works too) … */
  room?: string;
  /** … with this password, when the room has one. */
  password?: string;
  /** … or create one with this name. */
  create?: string;
  name?: string;
  /** Attach to an mpv already started with --input-ipc-server=<path>. */
  ipcPath?: string;
  attach?: boolean;
  mpvArgs?: readonly string[];
  mpvPath?: string;
  sync?: PartyClientOptions["sync"];
  /** Give up reaching the server after this long, ms (default MPV_PARTY_DEFAULTS.connectTimeoutMs). */
  connectTimeoutMs?: number;
  /** Give up waiting for mpv to open the media after this long, ms (default MPV_PARTY_DEFAULTS.loadTimeoutMs). */
  loadTimeoutMs?: number;
  /** Aborting it during start-up undoes what was done and rejects (the CLI's Ctrl+C). */
  signal?: AbortSignal;
}

export interface MpvParty {
  client: PartyClient;
  player: MpvPlayer;
  mpv: LaunchedMpv;
  /** Resolves when mpv quit or close() was called. */
  readonly done: Promise<void>;
  /**
   * Resolves with why, in a sentence, once the party is over while mpv still
   * plays: the room was closed, the seat could not be got back after a
   * reconnect, or the server refused the connection for good. mpv then stays
   * open, out of sync, until it is quit (done).
   */
  readonly ended: Promise<string>;
  /** Leaves the room, disconnects, quits mpv (if we started it). Idempotent. */
  close(): Promise<void>;
}

/** How long each start-up step may take before the mpv command gives up with a message. */
export const MPV_PARTY_DEFAULTS = {
  /** Reaching the party server, retries included (the SDK's backoff: about 6 attempts), ms. */
  connectTimeoutMs: 10_000,
  /** mpv opening the media (file-loaded), ms: a slow network stream may need a while. */
  loadTimeoutMs: 30_000,
} as const;

/**
 * Start-up order: mpv opens the media first (when it is known), and only
 * once it has loaded does the command connect and create or join the room,
 * so a file that cannot play never makes a room or a member that cannot play;
 * when the room names the media (Jellyfin), mpv opens it after joining and a
 * failure leaves the room again. Every failure rejects with one sentence
 * (MpvPartyError, JellyfinError, NoMediaError) after undoing what was done.
 */
export async function startMpvParty(o: MpvPartyOptions): Promise<MpvParty> {
  if (!o.room === !o.create) throw new Error("Give exactly one of --room <id> or --create <name>.");
  const server = serverWsUrl(o.server);
  if (o.media !== undefined) checkLocalMedia(o.media);
  const roomId = o.room === undefined ? undefined : normalizeRoomId(o.room);
  const interrupted = () => {
    if (o.signal?.aborted) throw new MpvPartyError("Interrupted before the party started.");
  };
  const item = o.create && o.item && o.jellyfin ? await getItem(o.jellyfin, o.item) : null;
  const sockets = watchedSockets();
  const client = new PartyClient({
    url: server,
    ...((o.name ?? o.jellyfin?.userName) ? { displayName: o.name ?? o.jellyfin?.userName } : {}),
    ...(o.jellyfin ? { token: o.jellyfin.token } : {}),
    createSocket: sockets.createSocket,
    ...(o.sync ? { sync: o.sync } : {}),
  });
  let mpv: LaunchedMpv | null = null;
  let player: MpvPlayer | null = null;
  let inRoom = false;
  const open = async (media: string | undefined) => {
    interrupted();
    mpv = await launchMpv({
      ...(media !== undefined ? { media } : {}),
      ...(o.ipcPath ? { ipcPath: o.ipcPath } : {}),
      ...(o.attach ? { attach: true } : {}),
      ...(o.mpvArgs ? { extraArgs: o.mpvArgs } : {}),
      ...(o.mpvPath ? { mpvPath: o.mpvPath } : {}),
    });
    interrupted();
    const launched = mpv;
    const what = media === undefined ? `the mpv at ${launched.ipcPath}` : media.includes("ApiKey=") ? "the Jellyfin stream" : `"${media}"`;
    const p = await MpvPlayer.connect(launched.ipcPath).catch((err: Error) => {
      throw new MpvPartyError(`mpv quit before it had opened ${what}: ${mpvProblem(launched.output()) || err.message}`);
    });
    player = p;
    const ready = new Promise<void>((resolve) => p.on("ready", () => resolve()));
    await waitForMedia(p, ready, {
      what,
      timeoutMs: o.loadTimeoutMs ?? MPV_PARTY_DEFAULTS.loadTimeoutMs,
      mpvSaid: () => mpvProblem(launched.output()),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(media === undefined ? { attached: true } : {}),
    });
  };
  try {
    const known = o.media ?? item?.streamUrl;
    if (known !== undefined || o.attach) await open(known);
    interrupted();
    await connectWithin(client, server, sockets, {
      timeoutMs: o.connectTimeoutMs ?? MPV_PARTY_DEFAULTS.connectTimeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if ((player as MpvPlayer | null)?.ipc.closed) throw new MpvPartyError("mpv quit before the party started.");
    await enterRoom(client, server, o.create ? { create: o.create, item, media: o.media } : { room: roomId!, password: o.password });
    inRoom = true;
    if (!mpv) await open(await roomMedia(client, o.jellyfin));
    interrupted();
  } catch (err) {
    if (inRoom) await leaveIfConnected(client);
    client.close();
    (player as MpvPlayer | null)?.destroy();
    await (mpv as LaunchedMpv | null)?.close();
    throw err;
  }
  return running(client, player!, mpv!);
}

/** On the way out: leave the room when the server can hear it; with the connection down, the resume grace frees the seat. */
function leaveIfConnected(client: PartyClient): Promise<void> {
  return client.connection.state === "open" ? client.leaveRoom().catch(() => {}) : Promise.resolve();
}

/** The started party: OSD notices, the player under the sync engine, and one close() for everything. */
function running(client: PartyClient, player: MpvPlayer, mpv: LaunchedMpv): MpvParty {
  const stopNotices = showPartyNotices(client, (text, ms) => void player.showText(text, ms).catch(() => {}));
  let closing: Promise<void> | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const show = (text: string, ms: number) => void player.showText(text, ms).catch(() => {});
  let isOver = false;
  // Another file in mpv (playlist, dropped file) is not the party's media: not synced until mpv is back on it.
  // Nor is mpv's file once the host changed the room's media (the next episode): synced again only when both match.
  let away = false;
  let roomElsewhere: string | null = null;
  let loaded = true;
  let playingPath: string | null = null;
  // The host's member list must not show a stale "in sync" for a member not following the room: media_problem says it.
  const report = (problem: boolean) => {
    if (client.connection.state === "open" && client.room) {
      client.connection.send("sync_report", { offset_ms: 0, rtt_ms: client.clock.rttMs ?? 0, media_problem: problem });
    }
  };
  const following = () => !away && loaded && roomElsewhere === null;
  const resync = (was: boolean) => {
    if (closing || isOver) return;
    const now = following();
    if (now && !was) {
      client.attachPlayer(player);
      report(false);
    } else if (!now && was) {
      client.detachPlayer();
      report(true);
    }
  };
  void player.ipc
    .command(["get_property", "path"])
    .then((p) => {
      if (typeof p === "string") playingPath = p;
    })
    .catch(() => {});
  const stopFile = followPartyFile(player.ipc, {
    leaving: () => {
      const was = following();
      loaded = false;
      if (was) client.detachPlayer(); // loading: no report either way until the file is known
    },
    back: () => {
      if (closing || isOver) return;
      const wasAway = away;
      away = false;
      loaded = true;
      if (roomElsewhere !== null) {
        if (!wasAway) return;
        report(true);
        show(`Watch party: the room now plays ${roomElsewhere}, not your file: not synced.`, 6000);
        return;
      }
      client.attachPlayer(player);
      if (wasAway) {
        report(false);
        show("Back in the watch party", 3000);
      }
    },
    away: (path) => {
      const wasAway = away;
      away = true;
      loaded = true;
      if (!wasAway) report(true);
      show(`Watch party: mpv plays another file (${path}), not synced. Go back to the party's file to rejoin.`, 6000);
    },
  });
  const stopRoomMedia = watchRoomMedia(client, () => playingPath, {
    changed: (what) => {
      const was = following();
      roomElsewhere = what;
      resync(was);
      show(`Watch party: the host changed the media to ${what}. mpv still plays your file: NOT synced. Open the room's media to rejoin.`, 8000);
    },
    same: () => {
      const was = following();
      roomElsewhere = null;
      resync(was);
      if (following()) show("Back in the watch party: the room plays your file again", 3000);
    },
  });
  const close = () => {
    closing ??= (async () => {
      stopFile();
      stopRoomMedia();
      stopNotices();
      client.detachPlayer();
      await leaveIfConnected(client);
      client.close();
      player.destroy();
      await mpv.close();
      resolveDone();
    })();
    return closing;
  };
  let resolveEnded!: (why: string) => void;
  const ended = new Promise<string>((r) => {
    resolveEnded = r;
  });
  // The party is over but mpv plays on: say so once, stop syncing, and let the user quit mpv when done.
  const over = (why: string) => {
    if (closing) return;
    isOver = true;
    offLeft();
    offError();
    stopFile();
    stopRoomMedia();
    stopNotices();
    client.detachPlayer();
    client.close();
    void player.showText(`Watch party over: ${why}. mpv stays open.`, 8000).catch(() => {});
    resolveEnded(why);
  };
  const offLeft = client.on("left", ({ reason }) => over(LEFT_WHY[reason] ?? `you left the room (${reason})`));
  const offError = client.on("error", (err) => over(`the server ended the connection (${err.message})`));
  player.ipc.onClose(() => void close());
  client.attachPlayer(player);
  return { client, player, mpv, done, ended, close };
}

/** Why the room is gone, by `left` reason (room_closed's, or the SDK's session_lost). */
const LEFT_WHY: Record<string, string> = {
  empty: "the room was closed (everyone had left)",
  closed: "the room was closed",
  shutdown: "the server closed the room as it shut down",
  session_lost: "the server no longer knew this member after reconnecting (the room is gone or the seat expired)",
};
