#!/usr/bin/env -S node --max-semi-space-size=4
/** The `opensyncparty` command: parses arguments, starts what was asked, owns signals and exit codes. */
import { readFileSync } from "node:fs";
import type { JellyfinSession } from "../mpv-party/jellyfin-client.js";
import { ConfigError } from "../server/config.js";
import { createServer } from "../server/create-server.js";
import { loadOptionalModules } from "../server/optional-modules.js";
import { type JellyfinLogin, MPV_USAGE, parseMpvArgs } from "./mpv.js";
import { createCliLogger } from "./log-format.js";
import { keepMarkingOffTheLoop } from "./gc-tuning.js";
import { UsageError, parseServeCommand } from "./serve.js";
import { startBanner } from "./start-banner.js";

const USAGE = `Usage:
  opensyncparty serve [--port 3001] [--host 0.0.0.0] [--tls-cert fullchain.pem --tls-key privkey.pem]
                      [--log-format json|pretty] [--log-level info] [...]
  opensyncparty mpv <file-or-URL> (--room <id> | --create <name>) [--server ws://host:3001/ws] [...]
  opensyncparty help

See docs/configuration.md for every option and its environment variable.`;

async function serve(argv: string[]): Promise<void> {
  const { options, logFormat } = parseServeCommand(argv, process.env);
  const format = logFormat ?? (process.stdout.isTTY ? "pretty" : "json");
  const logger = createCliLogger(format, options.logLevel ?? "info");
  keepMarkingOffTheLoop();
  // Only what these options use: a default serve never loads ioredis, http-proxy-3 or TLS (issue 14).
  await loadOptionalModules(options);
  const server = createServer({ ...options, logger });
  await server.listen();
  // One log line (stdout stays JSON lines) saying where invite links will point.
  const invite = server.config.publicUrl ?? server.core.hub.lanUrl;
  server.core.hub.log.info(
    { inviteUrl: invite },
    server.config.publicUrl
      ? `Invite links use ${invite} (--public-url).`
      : invite
        ? `Friends on your network can open ${invite} — set --public-url if they reach this server at another address.`
        : "Listening on loopback only: set --public-url to the address friends can open.",
  );
  if (format === "pretty") {
    process.stdout.write(
      startBanner({
        version: server.version,
        httpUrl: server.httpUrl,
        wsPath: server.config.wsPath,
        host: server.config.host,
        dataFile: server.config.dataFile,
        metricsUrl: server.metricsUrl,
        redis: server.config.redisUrl ? new URL(server.config.redisUrl).host : null,
      }),
    );
  }
  // certbot's deploy hook (or an operator) sends SIGHUP after renewing; file changes are also watched.
  process.on("SIGHUP", () => {
    if (!server.reloadTls()) logger.info({}, "SIGHUP: nothing reloaded (TLS is off or the files are not a valid pair)");
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

/** Logs in as asked: a token as given, or user + password (JELLYFIN_PASSWORD, else asked on the terminal). */
async function jellyfinLogin(login: JellyfinLogin): Promise<JellyfinSession> {
  const jf = await import("../mpv-party/jellyfin-client.js");
  if (login.token) return jf.loginWithToken(login.url, login.token);
  const user = login.user!;
  let password = process.env["JELLYFIN_PASSWORD"];
  if (password === undefined) {
    if (!process.stdin.isTTY) throw new UsageError("No Jellyfin password: set JELLYFIN_PASSWORD or use --jellyfin-token.");
    // node:readline only here, not on every start (issue 14: idle memory).
    const { promptHidden } = await import("./prompt.js");
    password = await promptHidden(`Jellyfin password for ${user}: `);
  }
  return jf.loginWithPassword(login.url, user, password, { version: packageVersion() });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

async function mpv(argv: string[]): Promise<void> {
  const { runMpvCommand } = await import("./mpv-run.js");
  await runMpvCommand(parseMpvArgs(argv, process.env), jellyfinLogin);
}

async function main(argv: string[]): Promise<void> {
  const [command = "serve", ...rest] = argv;
  switch (command) {
    case "serve":
      // `npm start -- --help` lands here: print the usage rather than refusing the flag.
      if (rest.includes("--help") || rest.includes("-h")) {
        console.log(USAGE);
        return;
      }
      return serve(rest);
    case "mpv":
      if (rest.includes("--help")) {
        console.log(MPV_USAGE);
        return;
      }
      return mpv(rest);
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  // One line a user can act on; the stack only when asked for (OSP_DEBUG=1).
  console.error(process.env["OSP_DEBUG"] ? err : `opensyncparty: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
