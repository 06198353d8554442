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

export interface OwnChange {
  /** When the change was requested, ms of the adapter clock. */
  requestedAtMs: number;
  /** The value set, where it matters (the rate: events only show the latest value). */
  value?: number;
  /**
   * Not ours: a viewer's change noticed (and reported) before its event
   * arrived (./shown-state.ts). It holds the event's place in the queue, so
   * the event passes silently and own changes made after it keep theirs.
   */
  viewer?: true;
}

export class OwnChanges {
  /** Per kind, the changes still waiting for their event, oldest first. */
  private readonly pending: Record<OwnChangeKind, OwnChange[]> = { play: [], pause: [], seek: [], rate: [] };

  /** Record that we just made a change of `kind`. */
  expect(kind: OwnChangeKind, change: OwnChange): void {
    this.pending[kind].push(change);
  }

  /**
   * A media event of `kind` arrived: returns the own change it belongs to,
   * or undefined when nobody here asked for it.
   */
  consume(kind: OwnChangeKind): OwnChange | undefined {
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
