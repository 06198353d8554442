/**
 * A real, tiny filesystem (tmpfs of a few hundred KiB) that a test can fill
 * up and free again, or remount read-only. Needs root (mount); returns null
 * when mounting is not possible, so the caller can skip outside CI.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export interface TinyDisk {
  dir: string;
  /** Writes a filler file until the disk is full. */
  fill(): void;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  remount(mode: "ro" | "rw"): void;
}

/** `inodes`: at most this many files and folders (tmpfs nr_inodes), to run out of inodes rather than space. */
export function mountTinyDisk(t: Pick<TestContext, "after">, sizeKiB: number, o: { inodes?: number } = {}): TinyDisk | null {
  const dir = mkdtempSync(join(tmpdir(), "osp-disk-"));
  try {
    const inodes = o.inodes === undefined ? "" : `,nr_inodes=${o.inodes}`;
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k${inodes}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  t.after(() => {
    try {
      execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const filler = join(dir, "filler");
  return {
    dir,
    fill() {
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (let i = 0; i < 1_000_000; i++) writeFileSync(filler, chunk, { flag: "a" });
      } catch (err) {
        if ((err as { code?: string }).code !== "ENOSPC") throw err;
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    remount(mode) {
      execFileSync("mount", ["-o", `remount,${mode}`, dir], { stdio: "ignore" });
    },
  };
}
