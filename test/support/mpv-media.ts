/**
 * A small media file for the mpv tests, made with ffmpeg and cached in
 * `.tmp/mpv-media/`: 30 s of testsrc2 video (160x90, 25 fps, keyframe every
 * 1 s) with a sine tone, in Matroska (mpv's home format).
 *
 * Written under a temporary name and renamed into place, so concurrent test
 * processes never see a half-written file.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const MPV_MEDIA_DURATION_SECONDS = 30;
/** Bump when the recipe changes so stale caches are regenerated. */
const RECIPE_VERSION = "v1";
const cacheDir = resolve(".tmp", "mpv-media", RECIPE_VERSION);

/** True when `binary -version` (or `--version`) runs. */
export async function canRun(binary: string, versionFlag = "-version"): Promise<boolean> {
  try {
    await run(binary, [versionFlag], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Path of the cached test clip, generating it on first use. */
export async function mpvTestMedia(): Promise<string> {
  const target = join(cacheDir, "clip.mkv");
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const partial = join(cacheDir, `clip.${process.pid}.${Date.now()}.partial.mkv`);
  const seconds = String(MPV_MEDIA_DURATION_SECONDS);
  await run(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", `testsrc2=size=160x90:rate=25:duration=${seconds}`],
      ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...["-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt", "yuv420p"],
      ...["-c:a", "aac", "-b:a", "64k", "-shortest", partial],
    ],
    { timeout: 120_000 },
  );
  renameSync(partial, target);
  return target;
}
