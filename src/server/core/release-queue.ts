/**
 * Outgoing frames held back until the store write of what they describe
 * settles, released strictly in the order they were produced. With a
 * synchronous store (memory, SQLite) nothing ever waits here and the queue
 * stays empty; with an asynchronous one (Redis) each handler's batch waits
 * for its write and never overtakes an older batch, while other connections
 * keep being served.
 */
import type { ServerType } from "../../protocol/index.js";
import type { Session } from "./session.js";

export type HeldFrame = [Session, string, ServerType];

interface Batch {
  frames: HeldFrame[];
  ready: boolean;
  sent: () => void;
}

const NOTHING = (): void => {};

export class ReleaseQueue {
  /** Batches, oldest first: the head leaves once its write settled. */
  private readonly batches: Batch[] = [];
  /** Asynchronous store writes not settled yet. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deliver: (session: Session, frame: string, type: ServerType) => void) {}

  /** True while some batch waits: every frame must then queue behind it. */
  get busy(): boolean {
    return this.batches.length > 0;
  }

  /** Frames that need no write but must not overtake waiting batches. */
  push(frames: HeldFrame[]): void {
    const last = this.batches[this.batches.length - 1];
    if (last?.ready) last.frames.push(...frames);
    else this.batches.push({ frames, ready: true, sent: NOTHING });
  }

  /**
   * Releases `frames` once `written` settles (resolved or rejected: the
   * writer handled failures) and every older batch left. Resolves when sent.
   */
  after(written: Promise<void>, frames: HeldFrame[]): Promise<void> {
    return new Promise((sent) => {
      const batch: Batch = { frames, ready: false, sent };
      this.batches.push(batch);
      const settle = (): void => {
        batch.ready = true;
        this.drain();
      };
      written.then(settle, settle);
    });
  }

  /** Counts an asynchronous store write until it settles (see settled()). */
  track(write: Promise<void>): void {
    this.inFlight.add(write);
    const done = (): void => {
      this.inFlight.delete(write);
    };
    write.then(done, done);
  }

  /** Resolves once every asynchronous write tracked so far has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private drain(): void {
    while (this.batches.length > 0 && this.batches[0]!.ready) {
      const batch = this.batches.shift()!;
      for (const [session, frame, type] of batch.frames) this.deliver(session, frame, type);
      batch.sent();
    }
  }
}
