/**
 * The server's guess of the page address friends on the same network can
 * open: the first non-internal IPv4 address (or the bound address itself),
 * with the listening port. Used for invite links when the host opened the
 * page on localhost and no `--public-url` is set.
 */
import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

const ANY = new Set(["0.0.0.0", "::", ""]);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** `http://<lan ip>:<port>/`, or null when the server only listens on loopback or has no LAN address. */
export function guessLanUrl(boundHost: string, port: number, interfaces = networkInterfaces()): string | null {
  if (LOOPBACK.test(boundHost)) return null;
  if (!ANY.has(boundHost)) return `http://${boundHost.includes(":") ? `[${boundHost}]` : boundHost}:${port}/`;
  const all: NetworkInterfaceInfo[] = Object.values(interfaces).flatMap((list) => list ?? []);
  const v4 = all.find((i) => i.family === "IPv4" && !i.internal);
  return v4 ? `http://${v4.address}:${port}/` : null;
}
