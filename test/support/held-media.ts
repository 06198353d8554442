/**
 * A viewer's slow media link in a browser test: the page's requests for the
 * test clip are answered 64 KB per range request, and those starting at or
 * past `heldFrom` (a fraction of the file, 0–1) wait until `release()`:
 * a link that stalls mid-film, so a seek past that point hangs while the
 * start plays. After `release()` every request is answered at once.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { ensureTestMedia } from "./media.js";

const CHUNK_BYTES = 64 * 1024;

export async function holdMediaPast(page: Page, heldFrom: number): Promise<{ release(): void }> {
  const media = await ensureTestMedia();
  const file = readFileSync(media.mp4Path);
  const heldFromByte = Math.floor(file.length * heldFrom);
  let held: Array<() => void> | null = [];
  await page.route("**/clip.mp4", async (route) => {
    const start = Number(/bytes=(\d+)-/.exec(route.request().headers().range ?? "")?.[1] ?? 0);
    if (held && start >= heldFromByte) await new Promise<void>((resolve) => held?.push(resolve));
    const end = Math.min(file.length - 1, start + CHUNK_BYTES - 1);
    await route.fulfill({
      status: 206,
      headers: {
        "content-type": "video/mp4",
        "accept-ranges": "bytes",
        "content-range": `bytes ${start}-${end}/${file.length}`,
        "access-control-allow-origin": "*",
      },
      body: file.subarray(start, end + 1),
    });
  });
  return {
    release() {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
    },
  };
}
