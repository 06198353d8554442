/**
 * A mixed room: the host plays in the standalone page in real Chromium, an
 * mpv viewer joins the room created there (with `opensyncparty mpv`'s own
 * code path), and the two stay together through play and seek.
 * Needs `npm run build` first (npm test does it).
 */
import { test } from "node:test";
import { startMpvParty } from "../../src/mpv-party/mpv-party.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { HEADLESS_MPV_ARGS, freshPlaybackTime, requireMpv } from "../support/mpv.js";
import { createRoom, mediaSample, openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";
import { waitFor } from "../support/wait-for.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("a browser host and an mpv viewer stay together through play and seek", { skip, timeout: 90_000 }, async (t) => {
  if (!(await requireMpv(t))) return;
  const media = await ensureTestMedia();
  const files = await startStaticServer([media.mediaDir], { teardown: t });
  const server = await startServer(t);
  const browser = await launchBrowser({ teardown: t });
  const page = await openPartyPage(browser, { teardown: t });
  await page.goto(`${server.httpUrl}/`);
  const mediaUrl = `${files.url}/clip.mp4`;
  const invite = await createRoom(page, { displayName: "Browser", roomName: "Mixed", mediaUrl });
  const roomId = new URL(invite).searchParams.get("room")!;

  const party = await startMpvParty({ media: mediaUrl, server: server.url, room: roomId, name: "mpv", mpvArgs: HEADLESS_MPV_ARGS });
  t.after(() => party.close());
  await page.getByText("mpv", { exact: true }).waitFor();

  /** Browser minus mpv, s: the page is read between two mpv reads, whose mean stands for the same instant. */
  const gap = async () => {
    const before = await freshPlaybackTime(party.player.ipc);
    const browserPos = (await mediaSample(page)).currentTime;
    const after = await freshPlaybackTime(party.player.ipc);
    return browserPos - (before + after) / 2;
  };
  const together = async (what: string, minPosition: number) => {
    await waitFor(() => !party.player.isPaused() && party.player.getPosition() > minPosition, `mpv playing past ${minPosition}`, 15_000);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const last = await gap();
      if (Math.abs(last) < 0.1) return;
      if (Date.now() > deadline) throw new Error(`browser and mpv ${Math.round(last * 1000)} ms apart after ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  await page.getByRole("button", { name: "Play", exact: true }).click();
  await together("play", 0.5);
  await page.evaluate(() => (window as unknown as { __party: { client: { seek(p: number): Promise<unknown> } } }).__party.client.seek(15));
  await together("seek", 15);
});
