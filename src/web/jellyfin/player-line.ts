/**
 * One line for the panel on this browser's player: on the party, finding
 * out what it plays, playing something else, or why its item is unknown.
 * Nothing a viewer needs to know stays silent (the joiner's player used to
 * wait forever with no word).
 */
import type { ItemResolution } from "./playing-item.js";

export interface PlayerLine {
  text: string;
  /** A problem the viewer should see. */
  problem: boolean;
}

export function playerLine(
  r: ItemResolution,
  roomItem: string | null,
  bound: boolean,
  inRoom: boolean,
  titles: ReadonlyMap<string, string | null>,
): PlayerLine {
  const name = (id: string | null) => (id ? (titles.get(id) ?? "another item") : "the party's item");
  if (bound) return { text: "Your player is on the party.", problem: false };
  switch (r.state) {
    case "none":
      if (!inRoom) return { text: "Play something to watch it together.", problem: false };
      return { text: roomItem ? `Opening ${name(roomItem)}…` : "Play something to watch it together.", problem: false };
    case "resolving":
      return { text: "Finding out what your player is playing…", problem: false };
    case "unresolved":
      return { text: r.reason, problem: true };
    case "resolved":
      if (!inRoom) return { text: `Playing ${titles.get(r.itemId) ?? "an item"}.`, problem: false };
      return r.itemId === roomItem || roomItem === null
        ? { text: "Joining your player to the party…", problem: false }
        : { text: `Your player plays ${name(r.itemId)}, not the party's item: taking you there…`, problem: false };
  }
}
