/** A SyncEngine on a FakeClock with a FakePlayer, a server clock 5 s ahead, and recorded sends. */
import { SyncEngine, type SyncNotice, type SyncPolicyOptions } from "../../../src/client/sync-engine.js";
import type { PlayerAction, SyncReportPayload, Timeline } from "../../../src/protocol/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakePlayer, type FakePlayerOptions } from "../../support/fake-player.js";

export const SERVER_AHEAD_MS = 5000;

export function harness(
  opts: { player?: Omit<FakePlayerOptions, "clock">; engine?: SyncPolicyOptions; canControl?: boolean; clockSynced?: boolean } = {},
) {
  const clock = new FakeClock(1_000_000);
  let serverShiftMs = SERVER_AHEAD_MS;
  let synced = opts.clockSynced ?? true;
  /** While set, the engine's timers fire only on whole seconds of the local clock, as Chromium runs a hidden tab's. */
  let throttled = false;
  const aligned = (ms: number) => (throttled ? Math.ceil((clock.now() + Math.max(0, ms)) / 1000) * 1000 - clock.now() : ms);
  const engineClock = {
    get synced() {
      return synced;
    },
    now: clock.now,
    serverNow: () => clock.now() + serverShiftMs,
    setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, aligned(ms)),
    clearTimeout: clock.clearTimeout,
    rttMs: 80,
  };
  const player = new FakePlayer({ clock, ...opts.player });
  const commands: Array<{ action: PlayerAction; position: number; rate?: number }> = [];
  const readies: Array<{ ready: boolean; position: number }> = [];
  const reports: SyncReportPayload[] = [];
  let control = opts.canControl ?? false;
  const engine = new SyncEngine({
    player,
    clock: engineClock,
    send: {
      command: (action, position, rate) => commands.push(rate === undefined ? { action, position } : { action, position, rate }),
      ready: (ready, position) => readies.push({ ready, position }),
      report: (r) => reports.push(r),
    },
    canControl: () => control,
    // The fake player starts instantly unless told otherwise: assume so, so timing asserts are exact.
    options: { initialStartDelayMs: 0, ...opts.engine },
  });
  const notices: SyncNotice[] = [];
  engine.on("notice", (n) => notices.push(n));
  const serverNow = () => clock.now() + serverShiftMs;
  const playing = (position: number, anchor = serverNow()): Timeline => ({
    position,
    play_state: "playing",
    rate: 1,
    anchor_server_ts: anchor,
  });
  const paused = (position: number, anchor = serverNow()): Timeline => ({
    position,
    play_state: "paused",
    rate: 1,
    anchor_server_ts: anchor,
  });
  /** True player position minus the timeline's, ms. */
  const trueOffsetMs = (t: Timeline) => {
    const at = t.play_state === "playing" ? t.position + (serverNow() - t.anchor_server_ts) / 1000 : t.position;
    return (player.truePosition() - at) * 1000;
  };
  return {
    clock,
    player,
    engine,
    commands,
    notices,
    readies,
    reports,
    serverNow,
    playing,
    paused,
    trueOffsetMs,
    setClockSynced: (v: boolean) => {
      synced = v;
    },
    setControl: (v: boolean) => {
      control = v;
    },
    /** The page's timers fire only on whole seconds (a background tab) until set false again. */
    setThrottled: (v: boolean) => {
      throttled = v;
    },
    /** The estimate of the server clock suddenly differs by `ms` (a clock jump). */
    shiftServerClock: (ms: number) => {
      serverShiftMs += ms;
    },
  };
}

/** RateController options of the engine's rate law, as the rate-law unit tests use them (trim, rest and pitch-free options added per test). */
export const BASE_RATE_OPTIONS = {
  enterMs: 10,
  exitMs: 3,
  tickMs: 100,
  correctionTimeSeconds: 0.5,
  maxDelta: 0.05,
  minDelta: 0.01,
  refusalsToFallback: 2,
  catchUpTimeSeconds: 0.2,
  catchUpMaxDelta: 0.2,
};
