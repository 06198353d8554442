/** Random identifiers: short public ids for rooms and clients, long secrets for resume tokens. */
import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // 32 symbols, no look-alikes

function encode(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) & 31];
  return out;
}

/** 10 symbols = 50 bits: unguessable enough for an invite link, short enough to read aloud. */
export const newRoomId = (): string => encode(randomBytes(10), 10);
export const newClientId = (): string => `c_${encode(randomBytes(12), 12)}`;
export const newSecret = (): string => randomBytes(24).toString("base64url");
export const newChatId = (): string => encode(randomBytes(8), 8);
