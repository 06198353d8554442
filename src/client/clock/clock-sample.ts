/**
 * One NTP-style measurement from a ping/pong exchange. With t0 = client send,
 * t1 = server receive, t2 = server send, t3 = client receive:
 * offset = ((t1 − t0) + (t2 − t3)) / 2 (server minus local), and
 * delay = (t3 − t0) − (t2 − t1) (network round trip without server time).
 * Whatever the split of `delay` between the two directions, the true offset
 * lies within ±delay/2 of the measured one.
 */
import type { PongPayload } from "../../protocol/index.js";

export interface ClockSample {
  /** Local time the sample describes: the midpoint of send and receive, ms. */
  localMs: number;
  /** Server clock minus local clock, ms. */
  offsetMs: number;
  /** Round trip minus the server's processing time, ms. */
  delayMs: number;
}

/** The sample a pong gives, or null when its timestamps are impossible. */
export function sampleFromPong(pong: PongPayload, localReceiveMs: number): ClockSample | null {
  const t0 = pong.client_ts;
  const t1 = pong.server_rx_ts;
  const t2 = pong.server_tx_ts;
  const t3 = localReceiveMs;
  if (![t0, t1, t2, t3].every(Number.isFinite)) return null;
  if (t3 < t0 || t2 < t1) return null;
  const delayMs = Math.max(0, t3 - t0 - (t2 - t1));
  return { localMs: (t0 + t3) / 2, offsetMs: (t1 - t0 + (t2 - t3)) / 2, delayMs };
}

/** How far a sample can be from the truth at `atLocalMs`, given a drift allowance. */
export function sampleErrorBoundMs(s: ClockSample, atLocalMs: number, driftAllowancePpm: number): number {
  return s.delayMs / 2 + Math.abs(atLocalMs - s.localMs) * driftAllowancePpm * 1e-6;
}
