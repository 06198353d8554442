/** Device, network and player models the scenarios draw from. */
import type { LinkProfile } from "./network.js";
import { type Random, seededRandom, skewedDuration, uniform } from "./prng.js";
import type { ViewerConfig } from "./viewer.js";

/** 100 ms RTT ± 30 ms: 35 ms one way + U[0, 30) each way; 1 % of messages +100–300 ms. */
export function defaultLink(r: Random): LinkProfile {
  return {
    baseOneWayMs: 35,
    asymmetryMs: uniform(r, -6, 6),
    jitterMs: 30,
    spikeProbability: 0.01,
    spikeMs: 200,
  };
}

export function badLink(r: Random): LinkProfile {
  return { baseOneWayMs: 90, asymmetryMs: uniform(r, -20, 20), jitterMs: 80, spikeProbability: 0.05, spikeMs: 400 };
}

type PlayerModel = ViewerConfig["player"];

/** Player models: desktop browser, Safari-like slow seeks that resume late, mpv, a TV with coarse rates. */
export function playerModel(kind: "html5" | "slow" | "mpv" | "tv", seed: number): PlayerModel {
  const r = seededRandom(seed);
  switch (kind) {
    case "html5":
      // Chromium's time-stretching costs 15–25 ms when it leaves rate 1; pitch-free rates are resampled; every rate change shows ~75 ms late (docs/sync.md, "Pitch-free corrections").
      return {
        seekLatencyMs: () => skewedDuration(r, 150),
        startDelayMs: 30,
        positionNoiseMs: 4,
        rateEntryStepMs: 20,
        pitchFreeRates: true,
        rateLagMs: 75,
      };
    case "slow":
      return { seekLatencyMs: () => skewedDuration(r, 400), seekResumeDelayMs: 100, startDelayMs: 60, positionNoiseMs: 4 };
    case "mpv":
      return { seekLatencyMs: () => skewedDuration(r, 60), startDelayMs: 10, positionNoiseMs: 1 };
    case "tv":
      return {
        seekLatencyMs: () => skewedDuration(r, 300),
        startDelayMs: 80,
        positionNoiseMs: 8,
        rateGranularity: 0.05,
        minRate: 0.5,
        maxRate: 2,
      };
  }
}

const KINDS = ["html5", "slow", "mpv", "tv", "html5", "mpv"] as const;

/** `count` viewers; the first is the host. Clocks: the first two 2 s apart, the rest within ±5 s; skew ±100 ppm. */
export function makeViewers(
  seed: number,
  count: number,
  link: (r: Random) => LinkProfile = defaultLink,
): ViewerConfig[] {
  const r = seededRandom(seed);
  const out: ViewerConfig[] = [];
  for (let i = 0; i < count; i++) {
    const offset = i === 0 ? -1000 : i === 1 ? 1000 : uniform(r, -5000, 5000);
    out.push({
      id: `v${i}`,
      isHost: i === 0,
      clockOffsetMs: offset,
      skewPpm: uniform(r, -100, 100),
      link: link(r),
      player: playerModel(KINDS[i % KINDS.length]!, seed * 31 + i),
      seed: seed * 101 + i,
    });
  }
  return out;
}
