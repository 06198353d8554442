/** The process's own monotonic clock and timers, in the shape fake players and engines take. */
export const realClock = {
  now: (): number => performance.now(),
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (h: unknown): void => clearTimeout(h as NodeJS.Timeout),
};
