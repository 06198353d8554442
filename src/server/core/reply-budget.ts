/**
 * How many bytes of the large answers one address may ask for: the
 * `room_state` a `join_room` or a `resume` into a room gets (members, settings, the chat history: up
 * to chatHistoryLength lines of up to maxChatLength characters, 50–300 KB
 * for a room with a full chat) and the `room_list` a `list_rooms` gets (up
 * to maxListedRooms rows with names and titles, ~33 KB at worst). Both
 * answer a ~60-byte frame. One address joining and leaving a room with a
 * full chat from 20 connections had the server send 590 MB in 5 s (2,585
 * times what it received, measured against `serve`) and other clients'
 * pongs took 143 ms instead of 1 at p99; 10 connections asking for the list
 * got 49 MB in 3 s. Each address now has REPLY_BURST_BYTES at once and
 * REPLY_BYTES_PER_SECOND after that; a join_room, list_rooms or resume
 * (a chain of reconnects, each resuming with the last token) from an address in debt is refused with `rate_limited` and `retry_after_ms`.
 * Pushed lists (a room opening, a count changing) are not counted. A
 * household or classroom behind one address joining a party together stays
 * far inside it (50 joins of a 50-member room with a full plain-text chat
 * ≈ 3.3 MB).
 */

/** Bytes of room_state and asked-for room_list one address may be sent at once. */
export const REPLY_BURST_BYTES = 4 * 1024 * 1024;
/** Bytes per second one address gets back after its burst. */
export const REPLY_BYTES_PER_SECOND = 512 * 1024;
/** Addresses tracked at most; past it, those back at their full burst are forgotten. */
const MAX_TRACKED = 10_000;

/** An address's allowance: `bytes` left at `at` (ms); below 0 it is in debt. */
interface Allowance {
  bytes: number;
  at: number;
}

export class ReplyBudget {
  private readonly byAddress = new Map<string, Allowance>();

  /** Milliseconds until `address` may ask for a large answer again (0: now). */
  waitMs(address: string, now: number): number {
    const a = this.byAddress.get(address);
    if (!a) return 0;
    const bytes = this.refilled(a, now);
    return bytes >= 0 ? 0 : Math.ceil((-bytes / REPLY_BYTES_PER_SECOND) * 1000);
  }

  /** Counts `bytes` sent to `address` (it may go into debt: the size is known only once built). */
  charge(address: string, bytes: number, now: number): void {
    let a = this.byAddress.get(address);
    if (!a) {
      if (this.byAddress.size >= MAX_TRACKED) this.forgetRested(now);
      a = { bytes: REPLY_BURST_BYTES, at: now };
      this.byAddress.set(address, a);
    }
    a.bytes = this.refilled(a, now) - bytes;
    a.at = now;
  }

  private refilled(a: Allowance, now: number): number {
    return Math.min(REPLY_BURST_BYTES, a.bytes + (Math.max(0, now - a.at) / 1000) * REPLY_BYTES_PER_SECOND);
  }

  private forgetRested(now: number): void {
    for (const [k, a] of this.byAddress) if (this.refilled(a, now) >= REPLY_BURST_BYTES) this.byAddress.delete(k);
  }
}
