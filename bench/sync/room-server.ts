/**
 * A minimal room server for the simulation, on its own (reference) clock:
 * answers pings with receive/transmit timestamps, keeps the room timeline,
 * schedules every command at now + lead and relays the new timeline to every
 * member (the sender included). The lead follows the real server's rule
 * (worst RTT × 1.2 + 60 ms + half the worst seek latency, 100–600 ms), or is
 * fixed for the baseline.
 */
import type { PlayerAction, PongPayload, SyncReportPayload, Timeline } from "../../src/protocol/index.js";
import { effectiveTimeline, positionAt } from "../../src/protocol/index.js";
import { DEFAULTS } from "../../src/server/config.js";
import { scheduleLeadMs } from "../../src/server/core/lead.js";
import { nextTimeline } from "../../src/server/core/timeline-commands.js";
import type { Link } from "./network.js";
import type { SimLoop } from "./sim-loop.js";

export type ServerMessage = { type: "timeline"; next: Timeline; prev?: Timeline } | { type: "pong"; payload: PongPayload };

export interface Member {
  id: string;
  link: Link;
  receive(msg: ServerMessage): void;
}

export interface RoomServerOptions {
  /** Server clock = true time + this, ms. */
  epochMs: number;
  /** Fixed lead (baseline); adaptive when absent. */
  fixedLeadMs?: number;
  startPosition: number;
}

export class SimRoomServer {
  timeline: Timeline;
  prev: Timeline | undefined;
  private readonly members = new Map<string, { m: Member; rttMs: number | null; seekMs: number | null }>();
  readonly leads: number[] = [];
  /** True time of every command's scheduled instant, ms. */
  readonly anchorsTrueMs: number[] = [];

  constructor(
    private readonly loop: SimLoop,
    private readonly o: RoomServerOptions,
  ) {
    this.timeline = { position: o.startPosition, play_state: "paused", rate: 1, anchor_server_ts: this.now() };
  }

  now(): number {
    return this.o.epochMs + this.loop.now;
  }

  /** Where the room's media should be at true time `trueMs`, s. */
  expectedPositionAt(trueMs: number): number {
    const s = this.o.epochMs + trueMs;
    return positionAt(effectiveTimeline(this.prev, this.timeline, s), s);
  }

  isPlayingAt(trueMs: number): boolean {
    const s = this.o.epochMs + trueMs;
    return effectiveTimeline(this.prev, this.timeline, s).play_state === "playing";
  }

  join(m: Member): void {
    this.members.set(m.id, { m, rttMs: null, seekMs: null });
    const next = this.timeline;
    m.link.down(() => m.receive({ type: "timeline", next }));
  }

  leave(id: string): void {
    this.members.delete(id);
  }

  ping(id: string, clientTs: number): void {
    const entry = this.members.get(id);
    if (!entry) return;
    const rx = this.now();
    const payload: PongPayload = { client_ts: clientTs, server_rx_ts: rx, server_tx_ts: rx + 0.2 };
    entry.m.link.down(() => entry.m.receive({ type: "pong", payload }));
  }

  report(id: string, r: SyncReportPayload): void {
    const entry = this.members.get(id);
    if (!entry) return;
    entry.rttMs = r.rtt_ms;
    entry.seekMs = r.seek_latency_ms ?? null;
  }

  command(id: string, action: PlayerAction, position: number): void {
    if (!this.members.has(id)) return;
    const now = this.now();
    const lead = this.leadMs();
    this.leads.push(lead);
    const target = now + lead;
    this.anchorsTrueMs.push(target - this.o.epochMs);
    const cur = this.timeline;
    const next = nextTimeline(cur, { action, position }, now, target);
    this.prev = effectiveTimeline(this.prev, cur, now);
    this.timeline = next;
    const prev = this.prev;
    for (const { m } of this.members.values()) m.link.down(() => m.receive({ type: "timeline", next, prev }));
  }

  private leadMs(): number {
    if (this.o.fixedLeadMs !== undefined) return this.o.fixedLeadMs;
    let worstRtt = -1;
    let worstSeek = 0;
    for (const e of this.members.values()) {
      if (e.rttMs !== null) worstRtt = Math.max(worstRtt, e.rttMs);
      if (e.seekMs !== null) worstSeek = Math.max(worstSeek, e.seekMs);
    }
    return scheduleLeadMs(worstRtt < 0 ? null : worstRtt, worstSeek, DEFAULTS);
  }
}
