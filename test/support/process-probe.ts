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
