/**
 * HTTPS/WSS on the party port: an https.Server whose certificate is
 * re-read from disk when the files change (certbot renewals replace the
 * symlinks in `live/<domain>/`) or when `reload()` is called (SIGHUP).
 * A half-written pair (new cert, old key) is refused and the old context
 * kept; the next change event retries. New connections get the new
 * certificate; open ones keep theirs.
 */
import { type FSWatcher, readFileSync, watch } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Server, createServer } from "node:https";
import { basename, dirname } from "node:path";
import { createSecureContext } from "node:tls";
import { ConfigError } from "../config.js";
import type { CoreLogger } from "../core/logger.js";

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsServer {
  readonly server: Server;
  /** Re-reads both files now. Returns false (and keeps serving the old certificate) if they do not form a valid pair. */
  reload(): boolean;
  /** Stops watching the files. */
  close(): void;
}

/** Coalesces the several events one renewal makes (cert, chain, key written one after another), ms. */
const RELOAD_DEBOUNCE_MS = 200;

/** Throws (with the file name) if a file cannot be read: a clear start-up error instead of a TLS stack trace. */
function readPair(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`Cannot read the TLS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  };
  const pair = { cert: read(files.certFile, "certificate"), key: read(files.keyFile, "key") };
  // Each file alone first, so the error names the file that is wrong (not OpenSSL's "PEM routines::no start line").
  check(() => createSecureContext({ cert: pair.cert }), `The TLS certificate file ${files.certFile} is not a PEM certificate`);
  check(() => createSecureContext({ key: pair.key }), `The TLS key file ${files.keyFile} is not a PEM private key (or it is encrypted)`);
  check(() => createSecureContext(pair), `The TLS key file ${files.keyFile} is not the key of the certificate ${files.certFile}`);
  return pair;
}

/** Bad TLS files are a bad option: ConfigError (exit 2 from the command), naming the file and OpenSSL's reason. */
function check(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (err) {
    throw new ConfigError(`${what} (${(err as Error).message.replace(/^error:[0-9A-F]+:/, "")}).`);
  }
}

export function createTlsServer(
  files: TlsFiles,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  log: CoreLogger,
): TlsServer {
  const server = createServer(readPair(files), handler);
  const reload = (): boolean => {
    try {
      server.setSecureContext(readPair(files));
      log.info({ cert: files.certFile }, "TLS certificate reloaded");
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).message, cert: files.certFile }, "TLS certificate not reloaded; keeping the current one");
      return false;
    }
  };
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, RELOAD_DEBOUNCE_MS);
    timer.unref();
  };
  // Watch the directories, not the files: renewals replace files (and symlinks), which ends a watch on the old inode.
  const names = new Set([basename(files.certFile), basename(files.keyFile)]);
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
    try {
      const w = watch(dir, (_event, name) => {
        if (name === null || names.has(String(name))) schedule();
      });
      w.on("error", (err) => log.warn({ err: err.message, dir }, "TLS file watch failed; use SIGHUP to reload"));
      w.unref();
      watchers.push(w);
    } catch (err) {
      log.warn({ err: (err as Error).message, dir }, "cannot watch TLS files; use SIGHUP to reload");
    }
  }
  return {
    server,
    reload,
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
