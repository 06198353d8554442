/**
 * A mixed room, as a user does it: the host creates a room in the
 * standalone page in real Chromium; a viewer runs the documented command
 * `opensyncparty mpv <media> --server … --room <id>`; the two stay together
 * through play and seek, and the mpv viewer shows up in the page.
 * Needs `npm run build` first (npm test does it).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { defaultIpcPath } from "../../src/players/mpv/launch-mpv.js";
import { browserSkipReason, launchBrowser } from "../support/browser.js";
import { ensureTestMedia } from "../support/media.js";
import { HEADLESS_MPV_ARGS, connectViewer, freshPlaybackTime, requireMpv, waitFor } from "../support/mpv.js";
import { createRoom, mediaSample, openPartyPage } from "../support/party-page.js";
import { startServer } from "../support/server.js";
import { startStaticServer } from "../support/static-server.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("a browser host and a viewer running `opensyncparty mpv` stay together through play and seek", { skip, timeout: 90_000 }, async (t) => {
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

  // The documented command, with a known IPC socket so the test can read mpv's position.
  const ipcPath = defaultIpcPath();
  const cli = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "mpv", mediaUrl, "--server", server.url, "--room", roomId, "--name", "mpv", "--ipc", ipcPath, "--", ...HEADLESS_MPV_ARGS],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(cli, "exit");
  t.after(async () => {
    if (cli.exitCode === null) {
      cli.kill("SIGTERM");
      await exited;
    }
  });
  await page.getByText("mpv", { exact: true }).waitFor({ timeout: 20_000 });
  const ipc = await connectViewer(t, ipcPath);

  /** Browser minus mpv, s: the page is read between two mpv reads, whose mean stands for the same instant. */
  const gap = async () => {
    const before = await freshPlaybackTime(ipc);
    const browserPos = (await mediaSample(page)).currentTime;
    const after = await freshPlaybackTime(ipc);
    return browserPos - (before + after) / 2;
  };
  const together = async (what: string, minPosition: number) => {
    await waitFor(`mpv playing past ${minPosition}`, async () => (await freshPlaybackTime(ipc)) > minPosition, 15_000);
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

  // Quitting mpv ends the command and takes the viewer out of the room.
  await ipc.command(["quit"]);
  await exited;
  await page.getByText("mpv", { exact: true }).waitFor({ state: "detached", timeout: 10_000 });
});
