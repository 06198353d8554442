/**
 * Own writes of `pause` / `speed` and the notifications they cause. A
 * notification that matches the pending own value was ours; one that matches
 * nothing was someone else's (a key press, another IPC client, a script).
 * No time windows.
 *
 * mpv notifies an observer only when a value differs from the last value it
 * notified, and it coalesces changes within one update cycle: a quick own
 * pause+play can produce no notification at all. So own writes of one
 * property are serialized: each waits until the previous one's notification
 * has arrived, and a write that leaves the notified value unchanged expects
 * nothing. After its reply a write reads the value back; if someone else
 * already overwrote it, the expectation is dropped (their change is theirs).
 *
 * Residual race (documented, not guessed around): a viewer who reverts an
 * own change after that read-back but within the same mpv update cycle
 * leaves the write waiting until the property's next notification.
 */
import type { MpvIpc } from "./mpv-ipc.js";

export type ExpectedProperty = "pause" | "speed";
type Value = boolean | number;

interface Expectation {
  value: Value;
  settle(): void;
}

function same(a: unknown, b: Value): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-6;
  return a === b;
}

export class ExpectedChanges {
  private readonly pending: Record<ExpectedProperty, Expectation | null> = { pause: null, speed: null };
  private readonly lastNotified: Record<ExpectedProperty, Value | null> = { pause: null, speed: null };
  private readonly queue: Record<ExpectedProperty, Promise<void>> = {
    pause: Promise.resolve(),
    speed: Promise.resolve(),
  };

  constructor(private readonly ipc: MpvIpc) {}

  /** Write `value` with `args` (after earlier own writes of `property` were notified). */
  write(property: ExpectedProperty, value: Value, args: readonly unknown[]): Promise<void> {
    const run = () => this.writeNow(property, value, args);
    const done = this.queue[property].then(run, run);
    this.queue[property] = done.catch(() => {});
    return done;
  }

  /** mpv notified `value`: true when our pending write caused it. */
  consume(property: ExpectedProperty, value: Value): boolean {
    this.lastNotified[property] = value;
    const expectation = this.pending[property];
    if (!expectation) return false;
    this.pending[property] = null;
    expectation.settle(); // matched or overtaken: either way nothing more will come for it
    return same(value, expectation.value);
  }

  /** mpv's initial notification on observe: a baseline, not a change. */
  baseline(property: ExpectedProperty, value: Value): void {
    this.lastNotified[property] = value;
  }

  /** Stop waiting (adapter destroyed, connection gone). */
  clear(): void {
    for (const property of ["pause", "speed"] as const) {
      this.pending[property]?.settle();
      this.pending[property] = null;
    }
  }

  private async writeNow(property: ExpectedProperty, value: Value, args: readonly unknown[]): Promise<void> {
    const notified = this.lastNotified[property];
    if (notified !== null && same(notified, value)) {
      await this.ipc.command(args); // no change from what we were told: no notification to expect
      return;
    }
    let settle: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const expectation: Expectation = { value, settle };
    this.pending[property] = expectation;
    const drop = () => {
      if (this.pending[property] === expectation) this.pending[property] = null;
      settle();
    };
    try {
      await this.ipc.command(args);
      const current = await this.ipc.command(["get_property", property]);
      if (!same(current, value)) drop();
    } catch (err) {
      drop();
      throw err;
    }
    await settled;
  }
}
