/**
 * A ledger of the media changes the adapter itself requested and whose DOM
 * event has not arrived yet. Each own play/pause/seek/rate change records an
 * expectation; the matching media event consumes one. An event that finds no
 * expectation was caused by someone else (the viewer, the page's controls).
 *
 * Media events for one element are delivered in the order their changes were
 * made (they are queued as media element tasks), so a FIFO per kind is
 * exact: no time windows, no guessing.
 */
export type OwnChangeKind = "play" | "pause" | "seek" | "rate";

export class OwnChanges {
  /** Per kind, the request times (ms) of changes still waiting for their event. */
  private readonly pending: Record<OwnChangeKind, number[]> = { play: [], pause: [], seek: [], rate: [] };

  /** Record that we just made a change of `kind`, requested at `requestedAtMs`. */
  expect(kind: OwnChangeKind, requestedAtMs: number): void {
    this.pending[kind].push(requestedAtMs);
  }

  /**
   * A media event of `kind` arrived: returns the request time of the own
   * change it belongs to, or undefined when nobody here asked for it.
   */
  consume(kind: OwnChangeKind): number | undefined {
    return this.pending[kind].shift();
  }

  /** Withdraw the newest expectation of `kind` (its change did not happen). */
  withdraw(kind: OwnChangeKind): void {
    this.pending[kind].pop();
  }

  count(kind: OwnChangeKind): number {
    return this.pending[kind].length;
  }

  /** Forget everything, e.g. when the element reloads and queued events are dropped. */
  clear(): void {
    for (const kind of Object.keys(this.pending) as OwnChangeKind[]) this.pending[kind].length = 0;
  }
}
