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
/** An empty ping from a server: FIN + opcode 9, unmasked, length 0 (RFC 6455 §5.2, §5.5.2). */
export const PING_FRAME: Buffer = Buffer.from([0x89, 0x00]);

let lastText: string | null = null;
let lastFrame: Buffer = Buffer.alloc(0);
/** The same bytes followed by PING_FRAME (one allocation holds both; lastFrame is a view of its start). */
let lastFrameAndPing: Buffer = PING_FRAME;

/** The frame carrying `text`; equal text gives the same Buffer back (never modified after it is built). */
export function textFrame(text: string): Buffer {
  if (text !== lastText) build(text);
  return lastFrame;
}

/**
 * The frame carrying `text` followed by an empty ping frame, as one Buffer:
 * a due heartbeat ping rides along in the same plain write (one system call,
 * no cork and two-chunk writev). Shares its bytes with textFrame(text).
 */
export function textFrameAndPing(text: string): Buffer {
  if (text !== lastText) build(text);
  return lastFrameAndPing;
}

function build(text: string): void {
  const length = Buffer.byteLength(text, "utf8");
  // Payload length: 7 bits, or 126 + 16 bits, or 127 + 64 bits (big-endian), no mask from a server.
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const both = Buffer.allocUnsafe(header + length + PING_FRAME.length);
  const frame = both.subarray(0, header + length);
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
  both[header + length] = PING_FRAME[0]!;
  both[header + length + 1] = PING_FRAME[1]!;
  lastFrame = frame;
  lastFrameAndPing = both;
  lastText = text;
}
