/**
 * Where the command's logs go, such that writing them can never stop the
 * server (new-user findings 5): when the program reading stdout goes away
 * (`serve | head -2`, a log shipper that died) a write fails with EPIPE;
 * a closed descriptor gives EBADF. pino's own stdout stream then retried
 * its final flush for ever at exit, so SIGTERM left the process hanging.
 *
 * Here a failed stream is marked dead on its first error and later lines
 * go to the other stream (stdout → stderr) while that one works, else
 * nowhere. The server keeps serving either way.
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

function tryWrite(t: Target, chunk: string): boolean {
  if (t.dead) return false;
  try {
    t.stream.write(chunk);
    // Node reports EPIPE asynchronously; a destroyed stream is dead already.
    if ((t.stream as { destroyed?: boolean }).destroyed) t.dead = true;
    return !t.dead;
  } catch {
    t.dead = true;
    return false;
  }
}

/** A sink writing to `primary`, falling back to `fallback` once `primary` fails. */
export function safeSink(primary: NodeJS.WritableStream = process.stdout, fallback: NodeJS.WritableStream | null = process.stderr): SafeSink {
  const p = target(primary);
  const f = fallback ? target(fallback) : null;
  return {
    write(chunk) {
      if (tryWrite(p, chunk)) return;
      if (f) tryWrite(f, chunk);
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
