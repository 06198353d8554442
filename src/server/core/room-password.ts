/**
 * Room passwords (extension): kept only as a salted SHA-256 (salt: the room
 * id), compared in constant time, and wrong guesses are throttled per
 * address (PasswordGuesses). A password room is never listed.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { TokenBucket } from "./rate-limiter.js";

export function hashRoomPassword(roomId: string, password: string): string {
  return createHash("sha256").update(`opensyncparty:${roomId}:${password}`).digest("hex");
}

/** Whether `password` opens a room stored with `hash`. */
export function passwordMatches(roomId: string, hash: string, password: string): boolean {
  const given = Buffer.from(hashRoomPassword(roomId, password), "hex");
  const stored = Buffer.from(hash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Wrong passwords one address may try at once, and how fast it gets another try (per second): 5, then one per 6 s. */
export const PASSWORD_GUESS_BURST = 5;
export const PASSWORD_GUESSES_PER_SECOND = 1 / 6;
/** Addresses tracked at most; past it, those that have their full burst back are forgotten. */
const MAX_TRACKED = 10_000;

/**
 * Wrong room passwords per address (the session's IP, or its id when the
 * transport gives none): a token bucket each. Once an address has used its
 * tries, join_room with a password is refused with `rate_limited` and
 * `retry_after_ms` before the password is looked at, so guessing a 4-digit
 * password takes hours, not seconds. A right password costs nothing.
 */
export class PasswordGuesses {
  private readonly buckets = new Map<string, TokenBucket>();

  /** Milliseconds until `address` may try again; 0 when it may now. */
  waitMs(address: string, now: number): number {
    const b = this.buckets.get(address);
    return b ? b.waitMs(now) : 0;
  }

  /** Records a wrong password from `address`. */
  wrong(address: string, now: number): void {
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size >= MAX_TRACKED) this.forgetRested(now);
      b = new TokenBucket(PASSWORD_GUESSES_PER_SECOND, PASSWORD_GUESS_BURST, now);
      this.buckets.set(address, b);
    }
    b.take(now);
  }

  private forgetRested(now: number): void {
    for (const [k, b] of this.buckets) if (b.isFull(now)) this.buckets.delete(k);
  }
}
