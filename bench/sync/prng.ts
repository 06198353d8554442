/** Seeded PRNG (mulberry32) so every bench run is the same. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(r: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * r();
}

/** A positive duration around `meanMs` with a long right tail (log-normal, σ 0.4). */
export function skewedDuration(r: Random, meanMs: number): number {
  const u1 = Math.max(1e-12, r());
  const n = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r());
  return meanMs * Math.exp(0.4 * n - 0.08);
}
