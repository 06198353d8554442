/**
 * A server-to-client text frame (RFC 6455: FIN, opcode 1, unmasked) as one
 * Buffer. A broadcast hands the same string to
 * every recipient, and an unmasked frame is the same bytes for all of them:
 * the last frame built is kept, so a room's fan-out encodes the text to
 * UTF-8 and frames it once, and each recipient costs one plain socket write
 * instead of ws's per-send header, cork and two-chunk writev with a
 * per-recipient string encode (docs/benchmarks.md, issue 14, busy-machine
 * section).
 */

/** FIN set, opcode 1 (text): RFC 6455 §5.2. */
const FIN_TEXT = 0x81;

let lastText: string | null = null;
let lastFrame: Buffer = Buffer.alloc(0);

/** The frame carrying `text`; equal text gives the same Buffer back (never modified after it is built). */
export function textFrame(text: string): Buffer {
  if (text === lastText) return lastFrame;
  const length = Buffer.byteLength(text, "utf8");
  // Payload length: 7 bits, or 126 + 16 bits, or 127 + 64 bits (big-endian), no mask from a server.
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, "utf8");
  lastFrame = frame;
  lastText = text;
  return lastFrame;
}
