/**
 * The "Change media" start field refuses times that are not times (99:99,
 * -5, 1:2:3:4) as they are typed, and a start past the new media's end
 * once the probe knows its length (the test clip is 30 s), with words next
 * to the field; nothing is sent to the room until it is valid. Real
 * Chromium, real server, ffmpeg-made media. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason } from "../support/browser.js";
import { waitMediaReady } from "../support/party-page.js";
import { startHostRoom } from "../support/party-setup.js";

const skip = await browserSkipReason({ needFfmpeg: true });

test("Change media: invalid start times get an inline message and change nothing", { skip, timeout: 120_000 }, async (t) => {
  const { server, host, mediaUrl } = await startHostRoom(t, { hostName: "Hana", roomName: "Times" });
  const [room] = server.core.hub.rooms.values();
  assert.ok(room);

  await host.getByText("Change media", { exact: true }).first().click();
  await host.getByLabel("New media URL").fill(`${mediaUrl}?second`);
  const start = host.getByLabel("Start at (m:ss)");
  const startError = host.locator("#new-media-start-error");
  for (const [text, why] of [["99:99", /up to 59/], ["-5", /negative/], ["1:2:3:4", /Too many parts/], ["soon", /like 90, 1:30/]] as const) {
    await start.fill(text);
    assert.match((await startError.textContent()) ?? "", why, `inline message for ${text}`);
    assert.equal(await start.getAttribute("aria-invalid"), "true");
    await host.getByRole("button", { name: "Change media" }).click();
    assert.match((await startError.textContent()) ?? "", why, `still shown after submit for ${text}`);
  }
  // Well-formed but past the 30 s clip: refused once the probe has read the new media's length.
  await start.fill("0:45");
  assert.equal(await startError.textContent(), "", "a well-formed time clears the message");
  await host.getByRole("button", { name: "Change media" }).click();
  await host.locator("#new-media-start-error", { hasText: "only 0:30 long" }).waitFor({ timeout: 20_000 });
  assert.equal(room.media.url, mediaUrl, "nothing was sent to the room");

  await start.fill("0:12");
  await host.getByRole("button", { name: "Change media" }).click();
  await host.waitForFunction(() => (document.querySelector("video") as HTMLVideoElement).currentSrc.endsWith("?second"), undefined, { timeout: 20_000 });
  await waitMediaReady(host);
  assert.equal(room.timeline.position, 12, "a valid start is used");
});
