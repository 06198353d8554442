#!/usr/bin/env -S node --max-semi-space-size=4
/** The `opensyncparty` command: parses arguments, starts what was asked, owns signals and exit codes. */
import { readFileSync } from "node:fs";
import type { JellyfinSession } from "../mpv-party/jellyfin-client.js";
import { ConfigError, DEFAULTS, resolveConfig } from "../server/config.js";
import { createServer } from "../server/create-server.js";
import { loadOptionalModules } from "../server/optional-modules.js";
import { type JellyfinLogin, MPV_USAGE, parseMpvArgs } from "./mpv.js";
import { checkEnv, envWarningText } from "./env-check.js";
import { serveHelp, USAGE } from "./help.js";
import { manageLifecycle } from "./lifecycle.js";
import { createCliLogger } from "./log-format.js";
import { guardStdStreams, safeSink } from "./safe-output.js";
import { keepMarkingOffTheLoop } from "./gc-tuning.js";
import { UsageError, parseServeCommand } from "./serve.js";
import { startBanner } from "./start-banner.js";

async function serve(argv: string[]): Promise<void> {
  guardStdStreams();
  const { options, logFormat, sources } = parseServeCommand(argv, process.env);
  // Every option checked before anything starts (a bad LOG_LEVEL used to reach pino first).
  try {
    resolveConfig(options);
  } catch (err) {
    // "port: Too big" → "port (environment variable PORT): Too big": the source the user actually set.
    if (err instanceof ConfigError) err.message = err.message.replace(/^ {2}(\w+): /gm, (m, key: string) => (sources[key] ? `  ${key} (${sources[key]}): ` : m));
    throw err;
  }
  const format = logFormat ?? (process.stdout.isTTY ? "pretty" : "json");
  const { logger, release } = createCliLogger(format, options.logLevel ?? "info");
  for (const w of checkEnv(process.env)) logger.warn({ env: w.name, suggestion: w.suggestion }, envWarningText(w));
  keepMarkingOffTheLoop();
  // Only what these options use: a default serve never loads ioredis, http-proxy-3 or TLS (issue 14).
  await loadOptionalModules(options);
  const server = createServer({ ...options, logger });
  // Before listening: a signal that arrives while starting is handled, not fatal by default (SIGHUP).
  manageLifecycle({
    close: () => {
      release(); // stopped while starting: the held lines still come out
      return server.close();
    },
    reload: () => server.reloadTls(),
    log: logger,
    onTerminal: process.stdout.isTTY === true,
    watchParent: process.env["npm_lifecycle_event"] !== undefined,
    forceExitAfterMs: server.config.shutdownGraceMs + 10_000,
  });
  try {
    await server.listen();
  } catch (err) {
    release();
    throw listenError(err, options.port);
  }
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
    safeSink().write(
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
  // On a terminal the summary comes first, then the log lines held while starting.
  release();
}

/** A port already taken is a usage problem with an obvious fix: say which port and how to pick another. */
function listenError(err: unknown, port: number | undefined): unknown {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code === "EADDRINUSE") {
    const p = e.port ?? port ?? DEFAULTS.port;
    return new UsageError(
      `Port ${p} is already in use (another OpenSyncParty server, or another program). ` +
        `Stop it, or choose another port with --port <n> (or the PORT environment variable; --port 0 picks a free one).`,
    );
  }
  if (e?.code === "EACCES") {
    return new UsageError(`Not allowed to listen on port ${e.port ?? port}: ports below 1024 need root. Choose another with --port <n> (or PORT).`);
  }
  return err;
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
        console.log(`${serveHelp()}`);
        return;
      }
      if (rest.includes("--version")) {
        console.log(packageVersion());
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
      console.log(`${USAGE}\n\n${serveHelp()}`);
      return;
    case "--version":
    case "-v":
    case "version":
      console.log(packageVersion());
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
