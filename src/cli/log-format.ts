/**
 * `--log-format json|pretty`: pino's JSON lines (for log collectors) or
 * one short readable line per entry (for a terminal). The default follows
 * stdout: a terminal gets `pretty`, anything else `json`.
 */
import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "../server/config.js";
import { type SafeSink, safeSink } from "./safe-output.js";

export type LogFormat = "json" | "pretty";
export const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const SKIP = new Set(["level", "time", "pid", "hostname", "msg"]);

/** Formats one pino JSON line as `12:00:01 WARN message key=value …`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = new Date(Number(entry["time"]) || Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[Number(entry["level"])] ?? String(entry["level"]);
  const fields = Object.entries(entry)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return `${time} ${level.padEnd(5)} ${String(entry["msg"] ?? "")}${fields.length ? ` ${fields.join(" ")}` : ""}\n`;
}

/** A CLI logger and, in pretty mode, the switch that lets held start-up lines out after the summary. */
export interface CliLogger {
  logger: Logger;
  /** Pretty mode holds log lines until the start-up summary is printed, then writes them after it. A no-op in json mode. */
  release(): void;
}

/** Logs to stdout through a safe sink (src/cli/safe-output.ts): a log reader that went away never stops the server. */
export function createCliLogger(format: LogFormat, level: LogLevel, sink: SafeSink = safeSink()): CliLogger {
  if (format === "json") {
    return { logger: pino({ level }, { write: (line: string) => sink.write(line) }), release: () => {} };
  }
  let held: string[] | null = [];
  const destination: DestinationStream = {
    write: (line: string) => (held ? held.push(line) : sink.write(prettyLine(line))),
  };
  return {
    logger: pino({ level }, destination),
    release() {
      const lines = held ?? [];
      held = null;
      for (const line of lines) sink.write(prettyLine(line));
    },
  };
}
