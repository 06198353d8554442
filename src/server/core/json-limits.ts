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
