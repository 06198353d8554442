/**
 * The room's media title from a Jellyfin item, as Jellyfin itself labels
 * it: an episode is "Series · S1:E2 · Episode" (season and episode where
 * the item has them), anything else its name ("Movie (2024)" when the year
 * is known). Shown in the room list, the panel and the room state.
 */
import type { ItemDto } from "./jellyfin-env.js";

export function itemTitle(item: ItemDto): string | null {
  const name = item.Name?.trim() ?? "";
  if (item.SeriesName) {
    const season = item.ParentIndexNumber;
    const episode = item.IndexNumber;
    const number =
      season !== undefined && episode !== undefined
        ? `S${season}:E${episode}`
        : episode !== undefined
          ? `E${episode}`
          : "";
    return [item.SeriesName.trim(), number, name].filter(Boolean).join(" · ") || null;
  }
  if (!name) return null;
  return item.Type === "Movie" && item.ProductionYear ? `${name} (${item.ProductionYear})` : name;
}
