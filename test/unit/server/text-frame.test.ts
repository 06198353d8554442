import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { textFrame } from "../../../src/server/transport/text-frame.js";

// ws's own parser (not in its type declarations) reads the frames back, as a client would.
const { Receiver } = createRequire(import.meta.url)("ws") as {
  Receiver: new (opts: { isServer: boolean; maxPayload: number }) => NodeJS.WritableStream & { on(e: "message", f: (d: Buffer, binary: boolean) => void): void };
};

test("textFrame builds one unmasked text frame per text, read back by ws for every length class", { timeout: 30_000 }, async () => {
  const texts = ["", "a", "x".repeat(125), "x".repeat(126), "é".repeat(63), "é".repeat(64), "y".repeat(65_535), "z".repeat(65_536), `{"t":"${"ü".repeat(40_000)}"}`];
  const got: string[] = [];
  const receiver = new Receiver({ isServer: false, maxPayload: 0 });
  receiver.on("message", (data, binary) => {
    assert.equal(binary, false);
    got.push(data.toString("utf8"));
  });
  for (const t of texts) {
    const frame = textFrame(t);
    assert.equal(frame[0], 0x81, "FIN + text opcode");
    assert.equal(frame[1]! & 0x80, 0, "a server's frame is not masked");
    assert.equal(textFrame(t), frame, "the same text gives the same frame (a broadcast frames once)");
    await new Promise<void>((resolve, reject) => receiver.write(frame, (err) => (err ? reject(err) : resolve())));
  }
  assert.deepEqual(got, texts);
});
