/** Runs one scenario under one policy and measures it. */
import { BaselineViewer } from "./baseline-viewer.js";
import {
  convergenceMs,
  inRoomWindow,
  percentile,
  type RoomEventKind,
  type Sample,
  SETTLE_WINDOW_MS,
  spread,
  type ViewerWindow,
} from "./metrics.js";
import { SimRoomServer } from "./room-server.js";
import type { Scenario, ScenarioScript } from "./scenarios.js";
import { SimLoop } from "./sim-loop.js";
import { EngineViewer, type SimViewer } from "./viewer.js";

export type Policy = "ours" | "baseline";

export interface ScenarioResult {
  steadyP50Ms: number;
  steadyP95Ms: number;
  steadyMaxMs: number;
  transitionsP95Ms: number;
  joinConvergenceMs: number[];
  commandConvergenceMs: number[];
  recoveryMs: number[];
  seeksPerViewer: number[];
  leadsMs: number[];
}

const SAMPLE_EVERY_MS = 50;
const EPOCH_MS = 1_700_000_000_000;

export async function simulate(sc: Scenario, policy: Policy): Promise<ScenarioResult> {
  const loop = new SimLoop();
  const server = new SimRoomServer(loop, {
    epochMs: EPOCH_MS,
    startPosition: 600,
    ...(policy === "baseline" ? { fixedLeadMs: 300 } : {}),
  });
  const viewers: SimViewer[] = sc.viewers().map((cfg) =>
    policy === "ours" ? new EngineViewer(loop, server, EPOCH_MS, cfg) : new BaselineViewer(loop, server, EPOCH_MS, cfg),
  );
  const roomEvents: Array<{ t: number; kind: RoomEventKind }> = [];
  const windows: ViewerWindow[] = [];
  const joinedAt = new Map<string, number>();
  const host = viewers[0]!;
  const v = (i: number) => viewers[i]!;
  const script: ScenarioScript = {
    at: (t, fn) => void loop.at(t, fn),
    join: (i) => {
      joinedAt.set(v(i).id, loop.now);
      windows.push({ id: v(i).id, kind: "join", fromMs: loop.now, toMs: loop.now });
      v(i).connect();
    },
    hostPlay: () => {
      roomEvents.push({ t: loop.now, kind: "play" });
      host.player.userPlay();
    },
    hostPause: () => {
      roomEvents.push({ t: loop.now, kind: "pause" });
      host.player.userPause();
    },
    hostSeek: (p) => {
      roomEvents.push({ t: loop.now, kind: "seek" });
      host.player.userSeek(p);
    },
    stall: (i, ms) => {
      windows.push({ id: v(i).id, kind: "stall", fromMs: loop.now, toMs: loop.now + ms });
      v(i).player.stall(ms);
    },
    disconnect: (i) => {
      windows.push({ id: v(i).id, kind: "disconnect", fromMs: loop.now, toMs: Number.POSITIVE_INFINITY });
      v(i).disconnect();
    },
    reconnect: (i) => {
      const w = windows.findLast((x) => x.id === v(i).id && x.kind === "disconnect");
      if (w) w.toMs = loop.now;
      v(i).connect();
    },
  };
  sc.script(script);

  const samples: Sample[] = [];
  const personal = (id: string, t: number) =>
    windows.some((w) => w.id === id && t >= w.fromMs && t < w.toMs + SETTLE_WINDOW_MS);
  const sample = () => {
    const t = loop.now;
    const expected = server.expectedPositionAt(t);
    samples.push({
      t,
      playing: server.isPlayingAt(t),
      viewers: viewers
        .filter((x) => x.online && joinedAt.has(x.id))
        .map((x) => ({ id: x.id, errMs: (x.player.truePosition() - expected) * 1000, personal: personal(x.id, t) })),
    });
    loop.after(SAMPLE_EVERY_MS, sample);
  };
  loop.at(0, sample);
  await loop.runUntil(sc.durationMs);
  for (const x of viewers) x.destroy();
  if (process.env.BENCH_TRACE === "viewers") {
    for (const x of viewers) {
      const errs = samples.filter((q) => q.t >= sc.measureFromMs && q.playing).flatMap((q) => q.viewers.filter((w) => w.id === x.id).map((w) => w.errMs));
      const p = (k: number) => [...errs].sort((a, b) => a - b)[Math.floor((k / 100) * (errs.length - 1))]?.toFixed(1);
      console.log(`# ${x.id}: error p5 ${p(5)} p50 ${p(50)} p95 ${p(95)} ms`);
    }
  } else if (process.env.BENCH_TRACE) {
    const evs = [...roomEvents.map((e) => ({ t: e.t, k: e.kind })), ...windows.filter((w) => w.kind === "join").map((w) => ({ t: w.fromMs, k: "join" }))];
    for (const e of evs) {
      const inst = server.anchorsTrueMs.find((a) => a >= e.t);
      console.log(`# ${e.k} at ${e.t} instant +${inst === undefined ? "?" : inst - e.t}`);
      for (const s of samples.filter((x) => x.t >= e.t && x.t <= e.t + 1600 && (x.t - e.t) % 100 === 0))
        console.log(`  +${s.t - e.t} ${s.playing ? "P" : "-"} ${s.viewers.map((v) => v.errMs.toFixed(0).padStart(6)).join(" ")}`);
    }
  }
  const r = measure(sc, samples, roomEvents, windows, viewers, server.anchorsTrueMs);
  r.leadsMs = server.leads;
  return r;
}

function measure(
  sc: Scenario,
  samples: Sample[],
  roomEvents: Array<{ t: number; kind: RoomEventKind }>,
  windows: ViewerWindow[],
  viewers: SimViewer[],
  anchorsTrueMs: number[],
): ScenarioResult {
  const measured = samples.filter((s) => s.t >= sc.measureFromMs && s.playing);
  const steady = measured
    .filter((s) => !inRoomWindow(s.t, roomEvents))
    .map((s) => spread(s, (x) => !x.personal))
    .filter((x): x is number => x !== null);
  // Between a command and its scheduled instant the room is still on the old line by design.
  const beforeInstant = (t: number) =>
    roomEvents.some((e) => t >= e.t && t < (anchorsTrueMs.find((a) => a >= e.t) ?? e.t));
  const transitions = measured
    .filter((s) => !beforeInstant(s.t))
    .map((s) => spread(s, (x) => !x.personal)).filter((x): x is number => x !== null);
  const nextRoomEvent = (t: number) => roomEvents.find((e) => e.t > t)?.t ?? sc.durationMs;
  const joinConvergenceMs: number[] = [];
  const firstConverged = new Map<string, number>();
  for (const w of windows.filter((x) => x.kind === "join")) {
    const fromMs = Math.max(w.fromMs, roomEvents.find((e) => e.kind === "play")?.t ?? 0);
    const c = convergenceMs(samples, fromMs, nextRoomEvent(fromMs), w.id);
    joinConvergenceMs.push(c);
    if (Number.isFinite(c)) firstConverged.set(w.id, fromMs + c);
  }
  const commandConvergenceMs = roomEvents
    .filter((e) => e.kind !== "pause")
    .map((e) => convergenceMs(samples, e.t, nextRoomEvent(e.t), null));
  const recoveryMs = windows
    .filter((w) => w.kind === "stall" || w.kind === "disconnect")
    .map((w) => convergenceMs(samples, w.toMs, nextRoomEvent(w.toMs) + SETTLE_WINDOW_MS * 3, w.id));
  const seeksPerViewer = viewers.map((x) => {
    const from = firstConverged.get(x.id) ?? Number.POSITIVE_INFINITY;
    return x.player.seeks
      .map((s) => x.clock.toTrue(s.atMs))
      .filter((t) => t > from && !inRoomWindow(t, roomEvents))
      .filter((t) => !windows.some((w) => w.id === x.id && t >= w.fromMs && t < w.toMs + SETTLE_WINDOW_MS))
      .length;
  });
  return {
    steadyP50Ms: percentile(steady, 50),
    steadyP95Ms: percentile(steady, 95),
    steadyMaxMs: percentile(steady, 100),
    transitionsP95Ms: percentile(transitions, 95),
    joinConvergenceMs,
    commandConvergenceMs,
    recoveryMs,
    seeksPerViewer,
    leadsMs: [],
  };
}
