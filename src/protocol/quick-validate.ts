/**
 * A quick look ahead of zod for the inbound frames a party sends most: the
 * envelope of every frame, and the payloads of `state_update` (each host,
 * every second) and `player_event`. Each check accepts only input the zod
 * schema in schemas.ts accepts and returns what zod would (a plain object
 * with the schema's keys, unknown keys stripped); anything else — odd
 * types, out-of-range numbers, unknown envelope keys — returns null and
 * goes to zod, so every refusal and its details still come from zod alone.
 * test/unit/protocol/quick-validate.test.ts holds both to the same answers.
 *
 * Why: zod's safeParse walks a generic schema and allocates its result and
 * context objects per call; on the state_update relay path that was a
 * measurable share of the server's CPU per delivery (docs/benchmarks.md,
 * issue 14, busy-machine section).
 */
import { type ClientPayloads, PlayerActions } from "./messages.js";
import type { ParsedEnvelope, SchemaLimits } from "./schemas.js";

const MIN_RATE = 0.0625;
const MAX_RATE = 16;
const ACTIONS: ReadonlySet<unknown> = new Set(PlayerActions);

function shortString(v: unknown, min: number): v is string {
  return typeof v === "string" && v.length >= min && v.length <= 64;
}

/**
 * The envelope, as zod's envelopeSchema would return it, or null (ask zod).
 * Only own keys the schema knows are accepted here: a frame with any other
 * key is left to zod, which strips it.
 */
export function quickEnvelope(raw: unknown): ParsedEnvelope | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  let keys = 0;
  for (const key in r) {
    if (!Object.hasOwn(r, key)) return null;
    keys++;
    const v = r[key];
    switch (key) {
      case "type":
        if (!shortString(v, 1)) return null;
        break;
      case "room":
      case "client":
        if (v !== null && !shortString(v, 0)) return null;
        break;
      case "payload":
        break;
      case "ts":
        if (v !== null && !(typeof v === "number" && Number.isFinite(v))) return null;
        break;
      case "id":
        if (!(typeof v === "number" ? Number.isFinite(v) : shortString(v, 0))) return null;
        break;
      default:
        return null;
    }
  }
  if (keys === 0 || typeof r.type !== "string") return null;
  return r as ParsedEnvelope;
}

/** A position in seconds as the schema's `position` accepts it. */
function isPosition(v: unknown, max: number): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= max;
}

function plainObject(p: unknown): p is Record<string, unknown> {
  return typeof p === "object" && p !== null && !Array.isArray(p);
}

/** The payload checks, for the limits the server's zod schemas were built with. */
export interface QuickPayloads {
  state_update(p: unknown): ClientPayloads["state_update"] | null;
  player_event(p: unknown): ClientPayloads["player_event"] | null;
}

export function createQuickPayloads(limits: Pick<SchemaLimits, "maxPositionSeconds">): QuickPayloads {
  const max = limits.maxPositionSeconds;
  const rateOk = (rate: unknown): boolean =>
    rate === undefined || (typeof rate === "number" && Number.isFinite(rate) && rate >= MIN_RATE && rate <= MAX_RATE);
  return {
    state_update(p) {
      if (!plainObject(p) || !isPosition(p.position, max) || !rateOk(p.rate)) return null;
      const playState = p.play_state;
      if (playState !== "playing" && playState !== "paused") return null;
      const out: ClientPayloads["state_update"] = { position: p.position, play_state: playState };
      if (p.rate !== undefined) out.rate = p.rate as number;
      return out;
    },
    player_event(p) {
      if (!plainObject(p) || !isPosition(p.position, max) || !rateOk(p.rate) || !ACTIONS.has(p.action)) return null;
      const out: ClientPayloads["player_event"] = { action: p.action as ClientPayloads["player_event"]["action"], position: p.position };
      if (p.rate !== undefined) out.rate = p.rate as number;
      return out;
    },
  };
}
