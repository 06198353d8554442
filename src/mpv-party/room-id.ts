/**
 * A room id as users paste it: with spaces or quotes around it, a trailing
 * slash, in capitals, or as the whole invite link (`…/?room=<id>`).
 *
 * Server-made room ids are 10 symbols of `a-z` and `2-9` without look-alikes
 * (src/server/core/ids.ts), so an id of that shape in other case is the same
 * room; any other text is kept as typed (after trimming) and the server decides.
 */
const SERVER_MADE = /^[a-z2-9]{10}$/i;

/** What was pasted, without the spaces, quotes or angle brackets around it. */
const unquoted = (input: string) => input.trim().replace(/^["'<]+|["'>]+$/g, "").trim();

export function normalizeRoomId(input: string): string {
  let id = unquoted(input);
  if (/^https?:\/\//i.test(id)) {
    try {
      id = new URL(id).searchParams.get("room") ?? id;
    } catch {
      // not a URL after all: keep the text
    }
  } else if (/^\??room=/i.test(id)) {
    id = id.replace(/^\??room=/i, "");
  }
  id = id.replace(/[/#?]+$/, "").trim();
  return SERVER_MADE.test(id) ? id.toLowerCase() : id;
}

/**
 * The party page an invite link was made on (`http(s)://host[:port]/[path/]?room=…`),
 * for the server to connect to when none is given: the link already names it
 * (new-user trial: `--room <link>` went to localhost:3001). Null for a bare id.
 */
export function inviteServer(input: string): string | null {
  const text = unquoted(input);
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.searchParams.has("room") ? `${url.origin}${url.pathname}` : null;
  } catch {
    return null;
  }
}
