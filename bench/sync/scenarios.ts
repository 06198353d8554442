/** The scenarios: each sets up viewers and scripts what happens, in true simulation time. */
import { badLink, makeViewers } from "./profiles.js";
import { seededRandom, uniform } from "./prng.js";
import type { ViewerConfig } from "./viewer.js";

export interface ScenarioScript {
  at(tMs: number, fn: () => void): void;
  join(i: number): void;
  hostPlay(): void;
  hostPause(): void;
  hostSeek(positionSeconds: number): void;
  stall(i: number, ms: number): void;
  disconnect(i: number): void;
  reconnect(i: number): void;
}

export interface Scenario {
  name: string;
  durationMs: number;
  /** Steady-state statistics start here, ms. */
  measureFromMs: number;
  /** Built fresh for each run, so both policies see the same random draws. */
  viewers: () => ViewerConfig[];
  script(s: ScenarioScript): void;
}

function joinAllThenPlay(s: ScenarioScript, count: number): void {
  for (let i = 0; i < count; i++) s.at(i * 300, () => s.join(i));
  s.at(3000, () => s.hostPlay());
}

export const scenarios: Scenario[] = [
  {
    name: "steady state (4 viewers, 100±30 ms RTT, clocks ±5 s, ±100 ppm)",
    durationMs: 120_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(1, 4),
    script: (s) => joinAllThenPlay(s, 4),
  },
  {
    name: "join mid-play (4th viewer joins at 30 s)",
    durationMs: 60_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(2, 4),
    script: (s) => {
      for (let i = 0; i < 3; i++) s.at(i * 300, () => s.join(i));
      s.at(3000, () => s.hostPlay());
      s.at(30_000, () => s.join(3));
    },
  },
  {
    name: "seek storm (host seeks every 3 s for 30 s)",
    durationMs: 60_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(3, 4),
    script: (s) => {
      joinAllThenPlay(s, 4);
      const r = seededRandom(33);
      for (let t = 10_000; t <= 40_000; t += 3000) s.at(t, () => s.hostSeek(Math.round(uniform(r, 60, 3000))));
    },
  },
  {
    name: "host pause/play bursts (every 1.5–4 s for 30 s)",
    durationMs: 60_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(4, 4),
    script: (s) => {
      joinAllThenPlay(s, 4);
      const r = seededRandom(44);
      let t = 10_000;
      let playing = true;
      while (t < 40_000) {
        const pause = playing;
        s.at(t, () => (pause ? s.hostPause() : s.hostPlay()));
        playing = !playing;
        t += uniform(r, 1500, 4000);
      }
      if (!playing) s.at(t, () => s.hostPlay());
    },
  },
  {
    name: "one viewer stalling (0.6 s, 1.5 s, 4 s)",
    durationMs: 75_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(5, 4),
    script: (s) => {
      joinAllThenPlay(s, 4);
      s.at(20_000, () => s.stall(2, 600));
      s.at(35_000, () => s.stall(2, 1500));
      s.at(50_000, () => s.stall(2, 4000));
    },
  },
  {
    name: "reconnect (viewer 1 offline 20–25 s, misses a seek at 22 s)",
    durationMs: 50_000,
    measureFromMs: 8000,
    viewers: () => makeViewers(6, 4),
    script: (s) => {
      joinAllThenPlay(s, 4);
      s.at(20_000, () => s.disconnect(1));
      s.at(22_000, () => s.hostSeek(1500));
      s.at(25_000, () => s.reconnect(1));
    },
  },
  {
    name: "bad network (250±80 ms RTT, ±20 ms asymmetry, 5 % spikes)",
    durationMs: 90_000,
    measureFromMs: 10_000,
    viewers: () => makeViewers(7, 4, badLink),
    script: (s) => {
      joinAllThenPlay(s, 4);
      s.at(40_000, () => s.hostSeek(2000));
    },
  },
];
