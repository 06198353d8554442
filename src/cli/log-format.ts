/**
 * `--log-format json|pretty`: pino's JSON lines (for log collectors) or
 * one short readable line per entry (for a terminal). The default follows
 * stdout: a terminal gets `pretty`, anything else `json`.
 */
import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "../server/config.js";

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

export function createCliLogger(format: LogFormat, level: LogLevel, out: NodeJS.WritableStream = process.stdout): Logger {
  if (format === "json") return pino({ level });
  const destination: DestinationStream = { write: (line: string) => void out.write(prettyLine(line)) };
  return pino({ level }, destination);
}
