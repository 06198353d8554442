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

/** Edit distance (Levenshtein), for the few `OSP_…`/`JELLYFIN_…` names that are not ours. */
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

/**
 * Whether `a` and `b` are exactly one edit apart (one letter changed, added
 * or dropped). Linear, without the full edit distance's table.
 */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  // Past the first difference the rest must match: after a change (same length) or a skipped letter of the longer one.
  return s.length === l.length ? s.slice(i + 1) === l.slice(i + 1) : s.slice(i) === l.slice(i + 1);
}

const core = (name: string) => name.replace(/^OSP_/, "");

/** Unknown variables in `env` that look like the server's, each with the likely intended name. */
export function checkEnv(env: NodeJS.ProcessEnv, known: string[] = servedEnvNames()): EnvWarning[] {
  const all = new Set([...known, ...OTHER_KNOWN]);
  const byCore = new Map<string, string>();
  for (const k of known) if (!byCore.has(core(k))) byCore.set(core(k), k);
  const cores = known.map((k) => [k, core(k)] as const);
  // A slip is looked for only in names that begin like one of ours (first two letters, with or without OSP_): an
  // environment holds hundreds of variables, and comparing each with every name ran hot enough at start for V8 to
  // optimize the comparison, paging its compiler in for good (+3.6 MB idle RSS).
  const starts = new Set(cores.flatMap(([k, kCore]) => [k.slice(0, 2), kCore.slice(0, 2)]));
  const out: EnvWarning[] = [];
  for (const raw of Object.keys(env)) {
    if (all.has(raw)) continue;
    const name = raw.toUpperCase();
    const nameCore = core(name);
    const sameCore = byCore.get(nameCore);
    if (sameCore) {
      out.push({ name: raw, suggestion: sameCore });
    } else if (/^(OSP|JELLYFIN)_/.test(name)) {
      let best: { k: string; d: number } | null = null;
      for (const [k, kCore] of cores) {
        const d = Math.min(distance(name, k), distance(nameCore, kCore));
        if (!best || d < best.d) best = { k, d };
      }
      out.push({ name: raw, suggestion: best && best.d <= 2 ? best.k : null });
    } else if (name.length >= 6 && (starts.has(name.slice(0, 2)) || starts.has(nameCore.slice(0, 2)))) {
      const slip = cores.find(([k, kCore]) => oneEditApart(name, k) || oneEditApart(nameCore, kCore));
      if (slip) out.push({ name: raw, suggestion: slip[0] });
    }
  }
  return out;
}

export function envWarningText(w: EnvWarning): string {
  return `The environment variable ${w.name} is not read by opensyncparty serve${w.suggestion ? `; did you mean ${w.suggestion}?` : "."} See opensyncparty serve --help.`;
}
