/**
 * How far ahead a timeline command is scheduled. Every member — the sender
 * included — must receive it before its instant: the lead covers the
 * slowest member's round trip (the sender's ack travels back too) plus a
 * margin, clamped to the configured bounds.
 */
import type { Hub } from "./hub.js";
import type { Room } from "./room.js";

/** Margin over the worst round trip, ms: covers jitter and the player's own start-up. */
export const LEAD_MARGIN_MS = 60;
/** Weight on the worst round trip: a 20 % jitter allowance. */
export const LEAD_RTT_FACTOR = 1.2;

export function currentLeadMs(hub: Hub, room: Room): number {
  const { minLeadMs, maxLeadMs, defaultLeadMs } = hub.config;
  let worstRtt = -1;
  let worstSeekMs = 0;
  for (const [id, m] of room.members) {
    const s = hub.sessions.get(id);
    if (!s?.connected) continue;
    const rtt = m.sync?.rtt_ms ?? s.rttMs;
    if (rtt !== null && rtt !== undefined && rtt > worstRtt) worstRtt = rtt;
    if (m.seekLatencyMs !== null && m.seekLatencyMs > worstSeekMs) worstSeekMs = m.seekLatencyMs;
  }
  if (worstRtt < 0) return Math.min(maxLeadMs, Math.max(minLeadMs, defaultLeadMs));
  const lead = worstRtt * LEAD_RTT_FACTOR + LEAD_MARGIN_MS + Math.min(worstSeekMs, 500) * 0.5;
  return Math.round(Math.min(maxLeadMs, Math.max(minLeadMs, lead)));
}
