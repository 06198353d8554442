/**
 * Chat line nonces (chat_message `nonce`, docs/protocol.md): the sender's
 * id for a line, so that a line sent again after its answer was lost is
 * taken once (the server remembers nonces; the SDK resends,
 * connection/resend.ts; the page's Retry reuses the nonce).
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A fresh nonce: 22 characters of `A–Z a–z 0–9 _ -` (132 random bits; `crypto.getRandomValues` exists in insecure contexts too, where randomUUID does not). */
export function newChatNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(22));
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}
