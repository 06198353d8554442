/** `opensyncparty mpv <media> --server ws://host:3001/ws (--room <id> | --create <name>) [--name <you>]`. */
import { parseArgs } from "node:util";
import type { MpvPartyOptions } from "../mpv-party/mpv-party.js";
import { UsageError } from "./serve.js";

export const MPV_USAGE = `Usage:
  opensyncparty mpv <file-or-URL> [--server ws://localhost:3001/ws] (--room <id> | --create <name>)
                    [--name <display name>] [--ipc <socket path>] [--mpv <mpv binary>] [-- <mpv args>]

  --ipc <path>   attach to an mpv started with --input-ipc-server=<path> instead of starting one
  --no-correction  never adjust mpv's speed or position on your own (follow commands only)
  --offset-ms <n>  play this many ms ahead (+) or behind (-) the room (e.g. for a slow TV)`;

export function parseMpvArgs(argv: string[], env: NodeJS.ProcessEnv): MpvPartyOptions {
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
  if (!media && !values.ipc) throw new UsageError(`Give a media file or URL (or --ipc to attach).\n${MPV_USAGE}`);
  if (!values.room === !values.create) throw new UsageError(`Give exactly one of --room or --create.\n${MPV_USAGE}`);
  const offset = values["offset-ms"] === undefined ? undefined : Number(values["offset-ms"]);
  if (offset !== undefined && (!Number.isFinite(offset) || Math.abs(offset) > 500)) {
    throw new UsageError("--offset-ms takes a number of ms between -500 and 500.");
  }
  return {
    server: values.server ?? env["OSP_SERVER"] ?? "ws://localhost:3001/ws",
    ...(media ? { media } : {}),
    ...(values.room ? { room: values.room } : {}),
    ...(values.create ? { create: values.create } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.ipc ? { ipcPath: values.ipc, attach: !media } : {}),
    ...(values.mpv ? { mpvPath: values.mpv } : {}),
    ...(mpvArgs.length ? { mpvArgs } : {}),
    sync: {
      ...(values["no-correction"] ? { correction: false } : {}),
      ...(offset !== undefined ? { extraOffsetMs: offset } : {}),
    },
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
      create: { type: "string" },
      name: { type: "string" },
      ipc: { type: "string" },
      mpv: { type: "string" },
      "no-correction": { type: "boolean" },
      "offset-ms": { type: "string" },
    },
  });
}
