/**
 * Environment variables that look meant for the server but are not read by
 * it (new-user findings: `OSP_PORT=abc` started silently on 3001). Only
 * names that look like ours are reported: any `OSP_…` or `JELLYFIN_…` name
 * the server does not read, a name that is one of ours without (or with) the
 * `OSP_` prefix, and a one-letter slip of one of ours (`LOGLEVEL`).
 */
import { LOG_FORMAT_OPTION, SERVE_OPTIONS } from "./serve.js";

/** Read by other commands or for diagnostics: known, never reported. */
const OTHER_KNOWN = ["OSP_DEBUG", "OSP_SERVER", "JELLYFIN_USER", "JELLYFIN_TOKEN", "JELLYFIN_PASSWORD"];

export interface EnvWarning {
  /** The variable as set. */
  name: string;
  /** The variable the server reads that was most likely meant, or null. */
  suggestion: string | null;
}

/** Every environment variable `opensyncparty serve` reads. */
export function servedEnvNames(): string[] {
  return [...Object.values(SERVE_OPTIONS).map((o) => o.env), LOG_FORMAT_OPTION.env];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

const core = (name: string) => name.replace(/^OSP_/, "");

/** Unknown variables in `env` that look like the server's, each with the likely intended name. */
export function checkEnv(env: NodeJS.ProcessEnv, known: string[] = servedEnvNames()): EnvWarning[] {
  const all = new Set([...known, ...OTHER_KNOWN]);
  const out: EnvWarning[] = [];
  for (const raw of Object.keys(env)) {
    const name = raw.toUpperCase();
    if (all.has(raw)) continue;
    const sameCore = known.find((k) => core(k) === core(name));
    const closest = known
      .map((k) => ({ k, d: Math.min(distance(name, k), distance(core(name), core(k))) }))
      .sort((x, y) => x.d - y.d)[0];
    const ours = /^(OSP|JELLYFIN)_/.test(name);
    if (sameCore) out.push({ name: raw, suggestion: sameCore });
    else if (ours) out.push({ name: raw, suggestion: closest && closest.d <= 2 ? closest.k : null });
    else if (closest && closest.d === 1 && name.length >= 6) out.push({ name: raw, suggestion: closest.k });
  }
  return out;
}

export function envWarningText(w: EnvWarning): string {
  return `The environment variable ${w.name} is not read by opensyncparty serve${w.suggestion ? `; did you mean ${w.suggestion}?` : "."} See opensyncparty serve --help.`;
}
