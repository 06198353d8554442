/**
 * A cheap look at a frame before JSON.parse: one pass over the characters,
 * counting nesting depth and values, skipping string contents. A 64 KiB
 * frame of `[[[[…` or of a million tiny values is refused here in
 * microseconds instead of costing a full parse and a schema walk.
 */

export interface JsonLimits {
  maxDepth: number;
  maxValues: number;
}

/** Null when the text is within the limits; otherwise what it exceeded. Malformed JSON is left to JSON.parse. */
export function jsonComplexity(text: string, limits: JsonLimits): string | null {
  // Bounds that need no scan: values are counted at `,` and `:`, so there are at most text.length of them, and the
  // depth is at most the number of `{` and `[` anywhere in the text. A host's state_update (≈ 130 characters, two `{`)
  // then costs two native indexOf runs instead of the character loop (≈ 40 against ≈ 400 ns measured; JSON.parse of it
  // is ≈ 650 ns).
  if (text.length <= limits.maxValues && openingsAtMost(text, limits.maxDepth)) return null;
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limits.maxDepth) return `nesting deeper than ${limits.maxDepth}`;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    else if (c === 44 /* , */ || c === 58 /* : */) {
      if (++values > limits.maxValues) return `more than ${limits.maxValues} values`;
    }
  }
  return null;
}

/** Whether `text` holds at most `max` of the characters `{` and `[` (inside strings or not). */
function openingsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf("{"); i !== -1; i = text.indexOf("{", i + 1)) if (++n > max) return false;
  for (let i = text.indexOf("["); i !== -1; i = text.indexOf("[", i + 1)) if (++n > max) return false;
  return true;
}
