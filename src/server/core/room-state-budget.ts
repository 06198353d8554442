/**
 * How many bytes of `room_state` one address may make the server send by
 * joining. A join answers a ~60-byte frame with the whole room: members,
 * settings and the chat history (up to chatHistoryLength lines of up to
 * maxChatLength characters each) — 50–300 KB for a room with a full chat.
 * One address joining and leaving such a room from 20 connections had
 * the server send 590 MB in 5 s (a 2,585-fold amplification, measured
 * against `serve`), slowing every other client's answers tenfold. Each
 * address now has ROOM_STATE_BURST_BYTES at once and
 * ROOM_STATE_BYTES_PER_SECOND after that; a join_room from an address in
 * debt is refused with `rate_limited` and `retry_after_ms`. A household or
 * classroom behind one address joining a party together stays far inside it
 * (50 joins of a 50-member room with a full plain-text chat ≈ 3.3 MB).
 */

/** Bytes of room_state one address may be sent at once by its joins. */
export const ROOM_STATE_BURST_BYTES = 4 * 1024 * 1024;
/** Bytes of room_state per second one address gets back after its burst. */
export const ROOM_STATE_BYTES_PER_SECOND = 512 * 1024;
/** Addresses tracked at most; past it, those back at their full burst are forgotten. */
const MAX_TRACKED = 10_000;

/** An address's allowance: `bytes` left at `at` (ms); below 0 it is in debt. */
interface Allowance {
  bytes: number;
  at: number;
}

export class RoomStateBudget {
  private readonly byAddress = new Map<string, Allowance>();

  /** Milliseconds until `address` may join again (0: now). */
  waitMs(address: string, now: number): number {
    const a = this.byAddress.get(address);
    if (!a) return 0;
    const bytes = this.refilled(a, now);
    return bytes >= 0 ? 0 : Math.ceil((-bytes / ROOM_STATE_BYTES_PER_SECOND) * 1000);
  }

  /** Counts `bytes` of room_state sent to `address` (it may go into debt: the size is known only once built). */
  charge(address: string, bytes: number, now: number): void {
    let a = this.byAddress.get(address);
    if (!a) {
      if (this.byAddress.size >= MAX_TRACKED) this.forgetRested(now);
      a = { bytes: ROOM_STATE_BURST_BYTES, at: now };
      this.byAddress.set(address, a);
    }
    a.bytes = this.refilled(a, now) - bytes;
    a.at = now;
  }

  private refilled(a: Allowance, now: number): number {
    return Math.min(ROOM_STATE_BURST_BYTES, a.bytes + (Math.max(0, now - a.at) / 1000) * ROOM_STATE_BYTES_PER_SECOND);
  }

  private forgetRested(now: number): void {
    for (const [k, a] of this.byAddress) if (this.refilled(a, now) >= ROOM_STATE_BURST_BYTES) this.byAddress.delete(k);
  }
}
