/**
 * Random identifiers: short public ids for rooms and clients, long secrets for resume tokens.
 *
 * Each is made in one shared scratch Buffer (filled by the CSPRNG, mapped to
 * the alphabet in place) and read out once as a flat one-byte string: no
 * Buffer per id and no chain of concatenated strings (`out += ch` built a
 * cons string per character, and a client id stayed a cons string over its
 * flattened copy), which each session paid for while joining
 * (docs/benchmarks.md, "Issue 14, what each connection holds").
 */
import { randomFillSync } from "node:crypto";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // 32 symbols, no look-alikes
const CODES = Buffer.from(ALPHABET, "latin1");
/** Scratch space for one id at a time (ids are made synchronously, one after another). */
const scratch = Buffer.alloc(32);

/** `prefix` then `length` random symbols of ALPHABET (5 bits each). */
function encode(prefix: string, length: number): string {
  const at = scratch.write(prefix, 0, "latin1");
  randomFillSync(scratch, at, length);
  for (let i = at; i < at + length; i++) scratch[i] = CODES[(scratch[i] as number) & 31] as number;
  return scratch.toString("latin1", 0, at + length);
}

/** 10 symbols = 50 bits: unguessable enough for an invite link, short enough to read aloud. */
export const newRoomId = (): string => encode("", 10);
export const newClientId = (): string => encode("c_", 12);
/** 24 random bytes (192 bits), base64url: 32 characters. */
export const newSecret = (): string => randomFillSync(scratch, 0, 24).toString("base64url", 0, 24);
export const newChatId = (): string => encode("", 8);
