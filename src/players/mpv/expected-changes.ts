/**
 * Property values the adapter itself wrote and whose mpv notification has
 * not arrived yet. A notification that matches a pending value was ours
 * (it and every older pending value of that property are consumed); a
 * notification that matches none was someone else's: the viewer's key
 * press, another IPC client, a script. No time windows.
 *
 * mpv notifies an observer only when a value differs from the last value it
 * notified, so a write that would not change that value expects nothing.
 *
 * Residual race (documented, not guessed around): if the viewer reverts an
 * own change within the same mpv notification cycle, mpv coalesces both
 * into no notification; the leftover expectation then makes the viewer's
 * next change to that same value look like ours.
 */
export type ExpectedProperty = "pause" | "speed";

type Value = boolean | number;

function same(a: Value, b: Value): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-6;
  return a === b;
}

export class ExpectedChanges {
  private readonly pending: Record<ExpectedProperty, Value[]> = { pause: [], speed: [] };
  private readonly lastNotified: Record<ExpectedProperty, Value | null> = { pause: null, speed: null };

  /**
   * We are about to write `value`. Returns true when a notification is
   * expected (pass the result to `withdraw` if the write fails).
   */
  expect(property: ExpectedProperty, value: Value): boolean {
    const queue = this.pending[property];
    const projected = queue.length > 0 ? queue[queue.length - 1]! : this.lastNotified[property];
    if (projected !== null && same(projected, value)) return false;
    queue.push(value);
    return true;
  }

  /** The write of `value` failed: drop its expectation. */
  withdraw(property: ExpectedProperty, value: Value): void {
    const queue = this.pending[property];
    for (let i = queue.length - 1; i >= 0; i--) {
      if (same(queue[i]!, value)) {
        queue.splice(i, 1);
        return;
      }
    }
  }

  /** mpv notified `value`: true when one of our writes caused it. */
  consume(property: ExpectedProperty, value: Value): boolean {
    this.lastNotified[property] = value;
    const queue = this.pending[property];
    const index = queue.findIndex((v) => same(v, value));
    if (index < 0) {
      queue.length = 0; // whatever we expected has been overtaken
      return false;
    }
    queue.splice(0, index + 1);
    return true;
  }

  /** mpv's initial notification on observe: a baseline, not a change. */
  baseline(property: ExpectedProperty, value: Value): void {
    this.lastNotified[property] = value;
  }

  pendingCount(property: ExpectedProperty): number {
    return this.pending[property].length;
  }
}
