/** Asks for a secret on the terminal without echoing it. */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

export async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  try {
    const answer = new Promise<string>((resolve, reject) => {
      rl.question(question, resolve);
      rl.once("close", () => reject(new Error("No password given.")));
    });
    muted = true;
    return await answer;
  } finally {
    muted = false;
    process.stderr.write("\n");
    rl.close();
  }
}
