/**
 * The time source the core runs on. Production uses a monotonic clock
 * anchored to the wall clock at start (so `now()` never jumps); tests use a
 * fake clock they advance by hand.
 */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface Clock {
  /** Milliseconds since the Unix epoch, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Wall-clock epoch at process start + monotonic elapsed time. */
export function systemClock(): Clock {
  const origin = performance.timeOrigin;
  return {
    now: () => origin + performance.now(),
    setTimeout: (fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}
