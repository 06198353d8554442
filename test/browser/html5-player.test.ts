/**
 * Html5Player and loadMedia in real headless Chromium (system package),
 * against ffmpeg-made MP4 and HLS media served over HTTP with Range support.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { inPage, startHtml5Session, waitInPage, type Html5Session } from "../fixtures/html5/session.js";
import { browserSkipReason } from "../support/browser.js";

const skip = await browserSkipReason({ needFfmpeg: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe("Html5Player in Chromium", { skip }, () => {
  let s: Html5Session;
  // Suite-wide resources close after the last test (registered here, not inside `before`).
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });
  before(async () => {
    s = await startHtml5Session({ after: (fn) => closers.push(fn) });
  });

  test("MP4 loads natively, reports ready, and never fetches hls.js", async (t) => {
    const page = await s.openPage(t);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    assert.equal(await inPage(page, (h, url) => h.load(url), s.mp4Url), "native");
    await waitInPage(page, (h) => h.eventNames().includes("ready"));
    const ready = await inPage(page, (h) => h.events.find((e) => e.name === "ready")?.data);
    assert.deepEqual(ready, { duration: s.media.durationSeconds });
    assert.ok(s.fixture.hlsChunkFiles.length > 0, "hls.js is split into its own chunk");
    for (const chunk of s.fixture.hlsChunkFiles) {
      assert.ok(!requested.some((u) => u.endsWith(`/${chunk}`)), `${chunk} must not load for MP4`);
    }
    t.diagnostic(`bundle: entry ${s.fixture.entryBytes} B, hls.js chunk(s) ${s.fixture.hlsChunkBytes} B (minified)`);
  });

  test("HLS through hls.js loads the lazy chunk and reports ready", async (t) => {
    const page = await s.openPage(t);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const kind = await inPage(page, (h, url) => h.load(url, { hlsMode: "hlsjs" }), s.hlsUrl);
    assert.equal(kind, "hls");
    await waitInPage(page, (h) => h.eventNames().includes("ready"));
    const ready = await inPage(page, (h) => h.events.find((e) => e.name === "ready")?.data);
    assert.deepEqual(ready, { duration: s.media.durationSeconds });
    assert.ok(s.fixture.hlsChunkFiles.some((c) => requested.some((u) => u.endsWith(`/${c}`))));
  });

  test("HLS in auto mode follows canPlayType", async (t) => {
    const page = await s.openPage(t);
    const nativeHls = await inPage(page, (h) => h.video.canPlayType("application/vnd.apple.mpegurl") !== "");
    const kind = await inPage(page, (h, url) => h.load(url), s.hlsUrl);
    assert.equal(kind, nativeHls ? "native" : "hls");
    t.diagnostic(`this Chromium plays HLS ${nativeHls ? "natively" : "through hls.js"}`);
  });

  test("load failures reject with the cause", async (t) => {
    const page = await s.openPage(t);
    const mp4 = await inPage(page, (h, url) => h.load(url).then(String, (e: Error) => `rejected: ${e.message}`), `${s.baseUrl}/missing.mp4`);
    assert.match(mp4, /^rejected: cannot load .*MEDIA_ERR_SRC_NOT_SUPPORTED/);
    const hls = await inPage(
      page,
      (h, url) => h.load(url, { hlsMode: "hlsjs" }).then(String, (e: Error) => `rejected: ${e.message}`),
      `${s.baseUrl}/missing.m3u8`,
    );
    assert.match(hls, /^rejected: hls\.js networkError\/manifestLoadError/);
  });

  for (const [label, hlsMode] of [
    ["MP4", null],
    ["HLS via hls.js", "hlsjs"],
    ["HLS native", "native"],
  ] as const) {
    test(`${label}: own play, pause, seek and rate are applied and not reported as user actions`, async (t) => {
      const page = await s.openPage(t);
      const url = hlsMode ? s.hlsUrl : s.mp4Url;
      await inPage(page, (h, a) => h.load(a.url, a.hlsMode ? { hlsMode: a.hlsMode } : {}), { url, hlsMode });

      const latenciesMs: number[] = [];
      for (const target of [5, 12.5, 20.3, 3.7, 27.1]) {
        const r = await inPage(page, (h, x) => h.seek(x), target);
        assert.ok(Math.abs(r.position - target) < 0.05, `seek ${target} landed at ${r.position}`);
        assert.ok(r.latencyMs !== null && r.latencyMs > 0, `latency ${r.latencyMs}`);
        latenciesMs.push(r.latencyMs);
      }
      t.diagnostic(`${label} paused seek latency median ${median(latenciesMs).toFixed(1)} ms: ${latenciesMs.map((x) => x.toFixed(1)).join(", ")}`);

      await inPage(page, (h) => h.seek(2));
      await inPage(page, (h) => h.player.play());
      await waitInPage(page, (h) => h.player.getPosition() > 2.3);
      assert.equal(await inPage(page, (h) => h.player.isPaused()), false);

      assert.equal(await inPage(page, (h) => h.player.setRate(2)), 2);
      assert.equal(await inPage(page, (h) => h.player.setRate(100)), 16);
      assert.equal(await inPage(page, (h) => h.player.setRate(0.001)), 0.0625);
      assert.equal(await inPage(page, (h) => h.player.setRate(1.5)), 1.5);
      assert.equal(await inPage(page, (h) => h.video.playbackRate), 1.5);

      const playing = await inPage(page, async (h) => {
        await h.seek(15);
        return { position: h.player.getPosition(), timing: h.player.lastSeek };
      });
      assert.ok(playing.position >= 15 && playing.position < 15.5, `playing seek landed at ${playing.position}`);
      await waitInPage(page, (h) => h.player.lastSeek?.toFirstFrameMs != null);
      const timing = await inPage(page, (h) => h.player.lastSeek);
      t.diagnostic(`${label} playing seek: seeked ${timing?.toSeekedMs.toFixed(1)} ms, first frame ${timing?.toFirstFrameMs?.toFixed(1)} ms`);

      await inPage(page, (h) => h.player.pause());
      assert.equal(await inPage(page, (h) => h.video.paused), true);
      // The viewer acts last: every event our own actions caused is delivered before this one.
      await inPage(page, (h) => {
        h.video.playbackRate = 0.5;
      });
      await waitInPage(page, (h) => h.eventNames("user_").length > 0);
      const userEvents = await inPage(page, (h) => h.events.filter((e) => e.name.startsWith("user_")));
      assert.deepEqual(
        userEvents.map((e) => [e.name, e.data]),
        [["user_rate", { rate: 0.5 }]],
      );
    });
  }
});
