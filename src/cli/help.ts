/**
 * `opensyncparty --help` and `serve --help`, generated from the one option
 * table (SERVE_OPTIONS) and the one defaults object (DEFAULTS), so the help
 * cannot drift from what the server does. The npm package ships no docs/:
 * this is the reference a user of `npx opensyncparty` has.
 */
import { DEFAULTS } from "../server/config.js";
import { CLI_DEFAULT_DATA_FILE, LOG_FORMAT_OPTION, SERVE_OPTIONS } from "./serve.js";

export const USAGE = `Usage:
  opensyncparty serve [options]       start the party server (default command)
  opensyncparty mpv <file-or-URL> (--room <id> | --create <name>) [--server ws://host:3001/ws] [...]
  opensyncparty --version             print the version
  opensyncparty help                  this text; \`serve --help\` lists every server option, \`mpv --help\` mpv's

Common: opensyncparty serve [--port 3001] [--host 0.0.0.0] [--tls-cert fullchain.pem --tls-key privkey.pem]`;

const VALUE: Record<string, string> = {
  int: "<whole number>",
  number: "<number>",
  string: "<text>",
  list: "<a,b,…>",
  bool: "<true|false>",
  level: "<level>",
};

function shown(key: string, value: unknown): string {
  if (key === "dataFile") return `${CLI_DEFAULT_DATA_FILE} ("none": memory only)`;
  if (key === "logLevel") return `${String(value)} (fatal, error, warn, info, debug, trace, silent)`;
  if (key === "allowedOrigins") return "any origin (* also means any)";
  if (value === null) return "none";
  if (Array.isArray(value)) return value.length ? value.join(",") : "none";
  return String(value);
}

/** Every `serve` option: flag and value, environment variable, default. */
export function serveHelp(): string {
  const rows = Object.entries(SERVE_OPTIONS).map(([key, o]) => [
    `--${o.flag} ${VALUE[o.kind] ?? ""}`,
    o.env,
    shown(key, (DEFAULTS as Record<string, unknown>)[key]),
  ]);
  rows.push([`--${LOG_FORMAT_OPTION.flag} <json|pretty>`, LOG_FORMAT_OPTION.env, "pretty on a terminal, else json"]);
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const lines = rows.map(([flag, env, def]) => `  ${flag!.padEnd(w0)}  ${env!.padEnd(w1)}  ${def}`);
  return [
    "Usage: opensyncparty serve [options]",
    "",
    "Each option can also be set by its environment variable; a flag wins over the variable.",
    "Whole numbers are plain decimal digits (no sign, 0x, exponent or spaces). A bad value stops the server (exit 2).",
    "",
    `  ${"option".padEnd(w0)}  ${"environment".padEnd(w1)}  default`,
    ...lines,
    "",
    "Signals: SIGTERM/SIGINT stop gracefully (clients are told and may resume); SIGHUP re-reads the TLS files.",
    "Options without a flag (see docs/configuration.md in the source repository) are set through createServer({...}).",
  ].join("\n");
}
