/**
 * Test media made with ffmpeg and cached in `.tmp/media/`: a small MP4
 * (H.264 + AAC, 320x180, 25 fps, keyframe every 1 s, `+faststart`) and an
 * HLS rendition of the same content with 2 s segments.
 *
 * Generation is idempotent and safe across concurrent test processes: each
 * file is written under a temporary name and renamed into place, and a
 * `done` marker is written last.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestMedia {
  /** Directory holding both renditions (serve it to get `/clip.mp4`, `/hls/index.m3u8`). */
  mediaDir: string;
  mp4Path: string;
  hlsDir: string;
  hlsPlaylistPath: string;
  durationSeconds: number;
  /** Seconds between keyframes (and exact seek points without decode-ahead). */
  keyframeIntervalSeconds: number;
  hlsSegmentSeconds: number;
}

const DURATION_SECONDS = 30;
const FPS = 25;
const HLS_SEGMENT_SECONDS = 2;
/** Bump when the encoding recipe changes so stale caches are regenerated. */
const RECIPE_VERSION = "v1";

export const mediaCacheDir = resolve(".tmp", "media", RECIPE_VERSION);

/** True when the `ffmpeg` binary can be run. */
export async function hasFfmpeg(): Promise<boolean> {
  try {
    await run("ffmpeg", ["-hide_banner", "-version"]);
    return true;
  } catch {
    return false;
  }
}

function describe(dir: string): TestMedia {
  const hlsDir = join(dir, "hls");
  return {
    mediaDir: dir,
    mp4Path: join(dir, "clip.mp4"),
    hlsDir,
    hlsPlaylistPath: join(hlsDir, "index.m3u8"),
    durationSeconds: DURATION_SECONDS,
    keyframeIntervalSeconds: 1,
    hlsSegmentSeconds: HLS_SEGMENT_SECONDS,
  };
}

let pending: Promise<TestMedia> | undefined;

/** Make (once, then reuse from cache) the MP4 and HLS test media. */
export function ensureTestMedia(): Promise<TestMedia> {
  pending ??= generate();
  return pending;
}

async function generate(): Promise<TestMedia> {
  const media = describe(mediaCacheDir);
  const marker = join(mediaCacheDir, "done");
  if (existsSync(marker)) return media;

  // Build in a private staging directory, then move the results into place.
  const staging = `${mediaCacheDir}.staging-${process.pid}-${Date.now()}`;
  mkdirSync(join(staging, "hls"), { recursive: true });
  try {
    const mp4 = join(staging, "clip.mp4");
    await run("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", `testsrc2=size=320x180:rate=${FPS}:duration=${DURATION_SECONDS}`],
      ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${DURATION_SECONDS}`],
      ...["-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-preset", "veryfast"],
      ...["-g", String(FPS), "-keyint_min", String(FPS), "-sc_threshold", "0"],
      ...["-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart", mp4],
    ]);
    await run("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-y", "-i", mp4, "-c", "copy"],
      ...["-f", "hls", "-hls_time", String(HLS_SEGMENT_SECONDS), "-hls_playlist_type", "vod"],
      ...["-hls_segment_filename", join(staging, "hls", "seg%03d.ts"), join(staging, "hls", "index.m3u8")],
    ]);
    writeFileSync(join(staging, "done"), new Date().toISOString());
    mkdirSync(join(mediaCacheDir, ".."), { recursive: true });
    try {
      // Atomic: the cache directory only ever appears complete.
      renameSync(staging, mediaCacheDir);
    } catch (err) {
      // Another process won the race; its complete copy is as good as ours.
      if (!existsSync(marker)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return media;
}
