/** `opensyncparty mpv [<media>] --server ws://host:3001/ws (--room <id> | --create <name>) [--name <you>] [--jellyfin <url> …]`. */
import { parseArgs } from "node:util";
import type { MpvPartyOptions } from "../mpv-party/mpv-party.js";
import { inviteServer, normalizeRoomId } from "../mpv-party/room-id.js";
import { MpvPartyError, serverWsUrl } from "../mpv-party/server-connect.js";
import { UsageError } from "./serve.js";

export const MPV_USAGE = `Usage:
  opensyncparty mpv <file-or-URL> [--server ws://localhost:3001/ws] (--room <id> | --create <name>)
                    [--name <display name>] [--ipc <socket path>] [--mpv <mpv binary>] [-- <mpv args>]
  opensyncparty mpv --jellyfin <url> --jellyfin-user <name> (--room <id> | --create <name> --item <id>) [...]

  --jellyfin <url>         log in to Jellyfin (env JELLYFIN_URL); joining a room that plays a Jellyfin
                           item then plays that item's stream, no file or URL needed
  --jellyfin-user <name>   Jellyfin user (env JELLYFIN_USER); the password is asked for,
                           or read from the environment variable JELLYFIN_PASSWORD
  --jellyfin-token <token> a Jellyfin access token instead of user and password (env JELLYFIN_TOKEN)
  --item <id>              with --create: the Jellyfin item (32 hex digits) the new room plays

  --server <url>   the party server: ws://host:3001/ws, or the party page's http(s):// address
                   (env OSP_SERVER); unreachable for 10 s (retrying) is an error
  --room <id>      the room's id (the part after ?room= in the invite link; the whole link works too, and then also names the server)
  --password <pw>  the room's password, when it has one (env OSP_ROOM_PASSWORD)

  --ipc <path>   with no media: attach to an mpv started with --input-ipc-server=<path>;
                 with media: start mpv on that socket
  --no-correction  never adjust mpv's speed or position on your own (follow commands only)
  --offset-ms <n>  play this many ms ahead (+) or behind (-) the room (e.g. for a slow TV)`;

export interface JellyfinLogin {
  url: string;
  user?: string;
  token?: string;
}

export interface MpvCommand {
  options: MpvPartyOptions;
  /** Log in to Jellyfin first (the CLI does it, asking for the password if needed). */
  jellyfin: JellyfinLogin | null;
}

export function parseMpvArgs(argv: string[], env: NodeJS.ProcessEnv): MpvCommand {
  const dash = argv.indexOf("--");
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const mpvArgs = dash >= 0 ? argv.slice(dash + 1) : [];
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(own);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${MPV_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Give one media file or URL.\n${MPV_USAGE}`);
  const media = positionals[0];
  const jellyfinUrl = values.jellyfin ?? env["JELLYFIN_URL"];
  const user = values["jellyfin-user"] ?? env["JELLYFIN_USER"];
  const token = values["jellyfin-token"] ?? env["JELLYFIN_TOKEN"];
  if (!values.room === !values.create) throw new UsageError(`Give exactly one of --room or --create.\n${MPV_USAGE}`);
  if (values.item && !values.create) throw new UsageError("--item goes with --create (a joined room already names its item).");
  if ((values.item || user || token) && !jellyfinUrl) throw new UsageError("--item, --jellyfin-user and --jellyfin-token need --jellyfin <url>.");
  if (jellyfinUrl && !user && !token) throw new UsageError("--jellyfin needs --jellyfin-user <name> or --jellyfin-token <token>.");
  if (jellyfinUrl && !/^https?:\/\//.test(jellyfinUrl)) throw new UsageError(`--jellyfin expects an http(s) URL, got "${jellyfinUrl}".`);
  const fromRoom = jellyfinUrl && (values.room || values.item);
  if (!media && !values.ipc && !fromRoom) {
    throw new UsageError(`Give a media file or URL (or --ipc to attach, or --jellyfin to play the room's item).\n${MPV_USAGE}`);
  }
  let server: string;
  try {
    // An invite link given as --room names its server: used unless one is given.
    const invited = values.room === undefined ? null : inviteServer(values.room);
    server = serverWsUrl(values.server ?? env["OSP_SERVER"] ?? invited ?? "ws://localhost:3001/ws");
  } catch (err) {
    if (err instanceof MpvPartyError) throw new UsageError(err.message);
    throw err;
  }
  if (values.room !== undefined && normalizeRoomId(values.room) === "") throw new UsageError("--room needs a room id (the part after ?room= in the invite link).");
  const password = values.password ?? env["OSP_ROOM_PASSWORD"];
  const offset = values["offset-ms"] === undefined ? undefined : Number(values["offset-ms"]);
  if (offset !== undefined && (!Number.isFinite(offset) || Math.abs(offset) > 500)) {
    throw new UsageError("--offset-ms takes a number of ms between -500 and 500.");
  }
  const options: MpvPartyOptions = {
    server,
    ...(media ? { media } : {}),
    ...(values.room ? { room: values.room } : {}),
    ...(values.create ? { create: values.create } : {}),
    ...(password && values.room ? { password } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.ipc ? { ipcPath: values.ipc, attach: !media && !fromRoom } : {}),
    ...(values.mpv ? { mpvPath: values.mpv } : {}),
    ...(mpvArgs.length ? { mpvArgs } : {}),
    sync: {
      ...(values["no-correction"] ? { correction: false } : {}),
      ...(offset !== undefined ? { extraOffsetMs: offset } : {}),
    },
    ...(values.item ? { item: values.item } : {}),
  };
  return {
    options,
    jellyfin: jellyfinUrl ? { url: jellyfinUrl, ...(user ? { user } : {}), ...(token ? { token } : {}) } : null,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      server: { type: "string" },
      room: { type: "string" },
      password: { type: "string" },
      create: { type: "string" },
      name: { type: "string" },
      ipc: { type: "string" },
      mpv: { type: "string" },
      "no-correction": { type: "boolean" },
      "offset-ms": { type: "string" },
      jellyfin: { type: "string" },
      "jellyfin-user": { type: "string" },
      "jellyfin-token": { type: "string" },
      item: { type: "string" },
    },
  });
}
