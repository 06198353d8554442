/**
 * The `id` of a frame the server will not handle (over the rate limit), so
 * the refusal can name it (`ref`): docs/protocol.md promises every message
 * carrying an id an `ack` or an `error` with that `ref`. The look costs no
 * more than a handled frame would: the caller passes only frames within
 * `maxMessageBytes`, frames over the JSON limits are not parsed, and nothing
 * beyond the envelope is read.
 */
import { type JsonLimits, jsonComplexity } from "./json-limits.js";

/** The frame's envelope `id` (a string of ≤ 64 characters or a number, as the envelope schema allows); undefined when it has none or cannot be read cheaply. */
export function frameRef(text: string, limits: JsonLimits): string | number | undefined {
  if (!text.includes('"id"') || jsonComplexity(text, limits)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  return usableRef(raw);
}

/** The `id` of a parsed frame when it is one the envelope schema allows (a string of ≤ 64 characters or a finite number), else undefined. */
export function usableRef(raw: unknown): string | number | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const id = (raw as { id?: unknown }).id;
  if (typeof id === "number" && Number.isFinite(id)) return id;
  if (typeof id === "string" && id.length <= 64) return id;
  return undefined;
}
