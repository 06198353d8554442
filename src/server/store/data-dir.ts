/**
 * Creates the data file's folder the way `mkdir -p` should: from the nearest
 * existing ancestor, one level at a time. Node's `mkdirSync(…, {recursive})`
 * never returns for a path under /proc (new-user findings 8: 70 % CPU,
 * nothing printed), and its errors name the path asked for, not the folder
 * that is really the problem. Throws DataDirError naming that folder.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export class DataDirError extends Error {
  constructor(
    message: string,
    /** The folder (or file in the way) the user has to fix. */
    readonly culprit: string,
    /** What to do about it, one clause. */
    readonly fix: string,
  ) {
    super(message);
  }
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/** Makes `dir` (absolute or relative) exist as a folder, creating the missing levels below its nearest existing ancestor. */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      const c = code(err);
      // ENOTDIR: something above is a file; keep walking up to name it.
      if (c !== "ENOENT" && c !== "ENOTDIR") throw new DataDirError(`${at} cannot be examined (${c})`, at, `make ${dirname(at)} readable by this user`);
      if (dirname(at) === at) throw new DataDirError(`${at} does not exist`, at, "choose another location");
      missing.unshift(at);
      at = dirname(at);
      continue;
    }
    if (!isDir) throw new DataDirError(`${at} is a file, not a directory`, at, `choose a path that is not under the file ${at}`);
    break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      const c = code(err);
      if (c === "EEXIST" && statSync(level).isDirectory()) continue; // made meanwhile by someone else
      const parent = dirname(level);
      if (c === "ENOSPC" || c === "EDQUOT") {
        throw new DataDirError(`cannot create the folder ${level}: the disk holding ${parent} is full (${c})`, parent, `free space (or inodes) on the disk holding ${parent}`);
      }
      throw new DataDirError(`cannot create the folder ${level} in ${parent} (${c})`, parent, `make ${parent} writable by this user, or create ${level} yourself`);
    }
  }
}

/** Why a data file in an existing folder could not be opened: the folder or the file that is not writable, if one is. */
export function notWritable(path: string): string | null {
  const file = resolve(path);
  try {
    accessSync(file, constants.W_OK);
  } catch (err) {
    if (code(err) !== "ENOENT") return file;
  }
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return dirname(file);
  }
  return null;
}
