/**
 * Raw HTTP over a TCP socket, for requests no well-behaved client library
 * will send (bad percent-encodings, absolute-form targets, huge headers,
 * broken upgrades). Resolves with the status code of the first response
 * line, or null when the server closed without one.
 */
import { connect } from "node:net";

export function rawRequest(port: number, text: string | Buffer, timeoutMs = 5000): Promise<{ status: number | null; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(text).slice(0, 80))}; got ${JSON.stringify(data.slice(0, 80))}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve({ status: m ? Number(m[1]) : null, head: data.split("\r\n\r\n")[0] ?? "" });
    };
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\r\n\r\n")) done();
    });
    socket.on("end", done);
    socket.on("close", done);
    socket.on("error", () => done());
    socket.write(text);
  });
}
