/**
 * Room passwords (extension): kept only as a salted SHA-256 (salt: the room
 * id), compared in constant time. A password room is never listed.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export function hashRoomPassword(roomId: string, password: string): string {
  return createHash("sha256").update(`opensyncparty:${roomId}:${password}`).digest("hex");
}

/** Whether `password` opens a room stored with `hash`. */
export function passwordMatches(roomId: string, hash: string, password: string): boolean {
  const given = Buffer.from(hashRoomPassword(roomId, password), "hex");
  const stored = Buffer.from(hash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
