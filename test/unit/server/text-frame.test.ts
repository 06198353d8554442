import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { textFrame, textFrameAndPing } from "../../../src/server/transport/text-frame.js";

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

test("textFrameAndPing is the same text frame followed by an empty ping, read back by ws as a message then a ping", { timeout: 30_000 }, async () => {
  const texts = ["", "b", "x".repeat(125), "x".repeat(126), "é".repeat(64), "z".repeat(65_536)];
  const got: string[] = [];
  const receiver = new Receiver({ isServer: false, maxPayload: 0 }) as unknown as {
    write(b: Buffer, cb: (err?: Error | null) => void): void;
    on(e: "message" | "ping", f: (d: Buffer) => void): void;
  };
  receiver.on("message", (data: Buffer) => got.push(`message:${data.toString("utf8")}`));
  receiver.on("ping", (data: Buffer) => got.push(`ping:${data.length}`));
  const want: string[] = [];
  for (const t of texts) {
    const both = textFrameAndPing(t);
    const plain = textFrame(t);
    assert.deepEqual(both.subarray(0, plain.length), plain, "starts with the text frame, byte for byte");
    assert.deepEqual(both.subarray(plain.length), Buffer.from([0x89, 0x00]), "ends with an empty, unmasked ping");
    assert.equal(textFrameAndPing(t), both, "built once per text");
    await new Promise<void>((resolve, reject) => receiver.write(both, (err) => (err ? reject(err) : resolve())));
    want.push(`message:${t}`, "ping:0");
  }
  assert.deepEqual(got, want);
  // Alternating texts never hand back a stale frame.
  assert.equal(textFrame("one").toString("utf8", 2), "one");
  assert.equal(textFrameAndPing("two").toString("utf8", 2, 5), "two");
  assert.equal(textFrame("one").toString("utf8", 2), "one");
});
