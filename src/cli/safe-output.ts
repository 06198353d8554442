/**
 * Where the command's logs go, such that writing them can never stop the
 * server (new-user findings 5): when the program reading stdout goes away
 * (`serve | head -2`, a log shipper that died) a write fails with EPIPE;
 * a closed descriptor gives EBADF. pino's own stdout stream then retried
 * its final flush for ever at exit, so SIGTERM left the process hanging.
 *
 * Here a failed stream is marked dead on its first error, and that line and
 * later ones go to the other stream (stdout → stderr) while that one works,
 * else nowhere. The server keeps serving either way.
 */

export interface SafeSink {
  /** Writes one chunk; never throws. */
  write(chunk: string): void;
  /** False once both streams have failed. */
  readonly alive: boolean;
}

interface Target {
  stream: NodeJS.WritableStream;
  dead: boolean;
}

const watched = new WeakMap<NodeJS.WritableStream, Target>();

/** The one Target per stream, with an error listener (an unhandled 'error' on stdout would crash the process). */
function target(stream: NodeJS.WritableStream): Target {
  let t = watched.get(stream);
  if (!t) {
    const created: Target = { stream, dead: false };
    stream.on("error", () => {
      created.dead = true;
    });
    watched.set(stream, created);
    t = created;
  }
  return t;
}

/** Writes `chunk` to `t`; `failed` gets it back if this write fails (EPIPE is reported after the call returns). */
function tryWrite(t: Target, chunk: string, failed: (chunk: string) => void): void {
  if (t.dead) return failed(chunk);
  try {
    t.stream.write(chunk, (err) => {
      if (!err) return;
      t.dead = true;
      failed(chunk);
    });
  } catch {
    t.dead = true;
    failed(chunk);
  }
}

/** A sink writing to `primary`, falling back to `fallback` once `primary` fails (the line that failed included). */
export function safeSink(primary: NodeJS.WritableStream = process.stdout, fallback: NodeJS.WritableStream | null = process.stderr): SafeSink {
  const p = target(primary);
  const f = fallback ? target(fallback) : null;
  const toFallback = (chunk: string) => {
    if (f) tryWrite(f, chunk, () => {});
  };
  return {
    write(chunk) {
      tryWrite(p, chunk, toFallback);
    },
    get alive() {
      return !p.dead || (f !== null && !f.dead);
    },
  };
}

/** Makes stdout and stderr safe to write for the rest of the process (console.error at exit included). */
export function guardStdStreams(): void {
  target(process.stdout);
  target(process.stderr);
}
