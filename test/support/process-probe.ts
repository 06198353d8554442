/** Whether a process or a port is still in use: for tests that stop a server and check it really went. */
import { createServer } from "node:net";

/** Whether process `pid` exists (the product's own check). */
export { pidAlive as alive } from "../../src/players/mpv/socket-files.js";

/** Whether `port` on 127.0.0.1 can be listened on again (the server that held it let go). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A loopback port nothing listens on right now (bound, then released): to refuse connections, or to start a server on later. */
export async function unusedPort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => s.once("listening", () => resolve()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
