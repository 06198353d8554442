/**
 * A viewer's link to the server: one-way delays with a base, a fixed
 * asymmetry, uniform jitter and rare spikes; in-order delivery per direction
 * (a WebSocket is one TCP stream); everything dropped while disconnected.
 */
import { type Random, uniform } from "./prng.js";
import type { SimLoop } from "./sim-loop.js";

export interface LinkProfile {
  /** Minimum one-way delay, ms. */
  baseOneWayMs: number;
  /** Up-link minus down-link delay, ms (the part clock sync cannot see). */
  asymmetryMs: number;
  /** Each direction adds uniform [0, jitterMs), ms. */
  jitterMs: number;
  /** Probability that a message is delayed by a spike. */
  spikeProbability: number;
  spikeMs: number;
}

export class Link {
  connected = true;
  private lastUpMs = 0;
  private lastDownMs = 0;

  constructor(
    private readonly loop: SimLoop,
    private readonly random: Random,
    private readonly profile: LinkProfile,
  ) {}

  /** Viewer → server. */
  up(deliver: () => void): void {
    if (!this.connected) return;
    const at = Math.max(this.lastUpMs, this.loop.now + this.delay(this.profile.asymmetryMs / 2));
    this.lastUpMs = at;
    this.loop.at(at, () => this.connected && deliver());
  }

  /** Server → viewer. */
  down(deliver: () => void): void {
    if (!this.connected) return;
    const at = Math.max(this.lastDownMs, this.loop.now + this.delay(-this.profile.asymmetryMs / 2));
    this.lastDownMs = at;
    this.loop.at(at, () => this.connected && deliver());
  }

  private delay(asymmetryShareMs: number): number {
    const p = this.profile;
    const spike = this.random() < p.spikeProbability ? uniform(this.random, 0.5, 1.5) * p.spikeMs : 0;
    return Math.max(1, p.baseOneWayMs + asymmetryShareMs + uniform(this.random, 0, p.jitterMs) + spike);
  }
}
