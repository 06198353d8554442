/**
 * Whether a path still names the file that was opened there. A data file
 * (or its SQLite write-ahead log) deleted, moved or copied over while the
 * server runs leaves the server writing into a file no one will read again:
 * every room was lost at the next stop, and /health said ok (crash tester's
 * finding 3). Compared by device and inode, one stat per check.
 */
import { statSync } from "node:fs";

function identityOf(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

export class FileIdentity {
  private id: string | null;

  constructor(readonly path: string) {
    this.id = identityOf(path);
  }

  /** Notes the file at the path now, if none was noted yet (a write-ahead log appears at the first write). */
  note(): void {
    if (this.id === null) this.id = identityOf(this.path);
  }

  /** Why the path no longer names the noted file ("was deleted", "was replaced"); null while it does, or while none was noted. */
  change(): string | null {
    if (this.id === null) return null;
    const now = identityOf(this.path);
    if (now === this.id) return null;
    return now === null ? `${this.path} was deleted` : `${this.path} was replaced by another file`;
  }
}
